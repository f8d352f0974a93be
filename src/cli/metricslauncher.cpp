// SPDX-License-Identifier: GPL-3.0-or-later
// `metrics …` in cachescope-cli: execs cachescope-metrics (the same command, cmd_metrics.cpp, built
// with the Qt HttpServer side in src/metrics) with the same arguments, so the pid, signals, output
// and exit code are the command's own. Kept out of cachescope-cli so that every other command
// starts without Qt Network, Qt HttpServer and their libraries (src/CMakeLists.txt).
#include "command.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <vector>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
// Installed: ../libexec/cachescope/ from the CLI's bin; in a build tree: beside the CLI.
QStringList candidates()
{
    const QString dir = QCoreApplication::applicationDirPath();
    return { dir + u'/' + QStringLiteral(CACHESCOPE_METRICS_FROM_BIN) + u"/cachescope-metrics"_s,
        dir + u"/cachescope-metrics"_s };
}

int runMetrics(const QStringList& args)
{
    const QStringList paths = candidates();
    for (const QString& path : paths) {
        if (!QFileInfo(path).isExecutable())
            continue;
        // argv[0] stays the CLI's (its --help reads as before); the program run is path.
        QList<QByteArray> bytes { QFile::encodeName(QCoreApplication::arguments().value(0)),
            QByteArrayLiteral("metrics") };
        for (const QString& arg : args)
            bytes.append(QFile::encodeName(arg));
        std::vector<char*> argv;
        for (QByteArray& arg : bytes)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        ::execv(QFile::encodeName(path).constData(), argv.data());
        return Cli::fail({ Error::Kind::Other,
            u"metrics: cannot start %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno))) });
    }
    return Cli::fail({ Error::Kind::NotFound,
        u"metrics: its server, cachescope-metrics, is not installed (looked for %1): reinstall cachescope"_s.arg(
            paths.join(u" and "_s)) });
}

const Cli::RegisterCommand registration(
    { u"metrics"_s, u"serve Prometheus metrics of caches over HTTP"_s, runMetrics });
} // namespace
