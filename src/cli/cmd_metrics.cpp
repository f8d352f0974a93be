// SPDX-License-Identifier: GPL-3.0-or-later
// `metrics DB|DIR… [--listen ADDR:PORT] [--interval-ms N]`: serves the Prometheus text format at
// /metrics for every cache given (metrics/: Qt HttpServer), each watched as `watch` watches it
// (CacheMonitor: Sampler + CommitCounter, no SQLite connection, no lock) with its entries counted
// by a child at the Overview's pace (EntryCountProbe). A scrape reads the last sample's values.
// Runs until Ctrl-C / SIGTERM.
#include "command.h"
#include "common/format.h"
#include "maintenance/cachefolder.h"
#include "metrics/cachemonitor.h"
#include "metrics/entrycountprobe.h"
#include "metrics/metricsserver.h"
#include "remote/cacheaddress.h"
#include "stopsignals.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr const char* DefaultListen = "localhost:9860";

// Every database the arguments name (a folder's shards each on its own); -1 or the exit code.
int databasesOf(const QStringList& paths, QStringList& databases)
{
    for (const QString& path : paths) {
        if (!QFileInfo::exists(path) && !QFileInfo::exists(path + u"-wal"_s))
            return Cli::fail({ Error::Kind::NotFound, u"no such file: %1"_s.arg(path) });
        if (int code = Cli::refuseSpecialFile(path); code >= 0) // no cache to serve
            return code;
        auto folder = CacheFolder::resolve(path);
        if (!folder)
            return Cli::fail(folder.error());
        for (const QString& db : folder->databases) {
            const QString absolute = QFileInfo(db).absoluteFilePath();
            if (!databases.contains(absolute))
                databases.append(absolute);
        }
    }
    return -1;
}

int runMetrics(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Serve the Prometheus text format at http://ADDR:PORT/metrics for every cache given (series labelled path "
        "and format): sizes, commits counted from events, WAL frames, checkpoint lag and pin, write-lock share, "
        "readers, writers, entries, expired entries, health warnings. Takes no lock and opens no SQLite connection; "
        "entries are counted by a child at the Overview's pace (at start, then every minute or 20x the count's "
        "duration). Runs until Ctrl-C."_s);
    Cli::addCommonOptions(parser);
    Cli::addReadInPlaceOption(parser);
    parser.addOption({ u"listen"_s,
        u"Address and port to serve on (default %1; PORT or :PORT alone: localhost; [::1]:PORT for IPv6; 0.0.0.0:PORT "
        "for every interface; port 0: one the system chooses, printed on stderr)."_s.arg(
            QString::fromLatin1(DefaultListen)),
        u"ADDR:PORT"_s, QString::fromLatin1(DefaultListen) });
    parser.addOption({ u"interval-ms"_s, u"Time between samples of each cache (default 1000)."_s, u"ms"_s });
    QCommandLineOption count(u"count-entries"_s, u"(internal) count one cache's entries and exit."_s);
    count.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(count);
    parser.addPositionalArgument(u"DB"_s, u"SQLite database files, diskcache or FanoutCache folders."_s, u"DB…"_s);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!parser.parse(QStringList { u"cachescope-cli metrics"_s } + args))
        return Cli::usageError(parser.errorText());
    const int positionals = int(parser.positionalArguments().size());
    // The server listens where this command runs: run there, a remote cache's metrics would be
    // served on its host's --listen address while looking local; here, nothing of it would be seen.
    for (const QString& cache : parser.positionalArguments()) {
        if (CacheAddress::isRemoteText(cache))
            return Cli::usageError(
                u"metrics serves over HTTP from the host it runs on and takes local caches only, "
                "not %1: run it where the cache lives (e.g. `ssh HOST cachescope-cli metrics PATH "
                "--listen 0.0.0.0:9860`, or as a service there) and scrape HOST:9860"_s.arg(cache.left(200)));
    }
    if (int code = Cli::parse(parser, u"metrics"_s, args, std::max(1, positionals)); code >= 0)
        return code;
    if (parser.isSet(count))
        return EntryCountProbe::countInChild(parser.positionalArguments().first());
    qint64 intervalMs = 1000;
    if (!Cli::intOption(parser, u"interval-ms"_s, intervalMs, 100))
        return Cli::Usage;
    QString why;
    const auto listen = MetricsServer::parseListen(parser.value(u"listen"_s), &why);
    if (!listen)
        return Cli::fail({ Error::Kind::Other, u"--listen %1: %2"_s.arg(parser.value(u"listen"_s).left(80), why) });
    QStringList databases;
    if (int code = databasesOf(parser.positionalArguments(), databases); code >= 0)
        return code;

    std::vector<std::unique_ptr<CacheMonitor>> monitors;
    QList<CacheMonitor*> pointers;
    for (const QString& db : std::as_const(databases)) {
        monitors.push_back(std::make_unique<CacheMonitor>(db, int(intervalMs)));
        pointers.append(monitors.back().get());
    }
    MetricsServer server(pointers);
    const Result<quint16> port = server.listen(listen->first, quint16(listen->second));
    if (!port)
        return Cli::fail(port.error());
    StopSignals::install();
    for (CacheMonitor* monitor : std::as_const(pointers)) {
        if (const QString problem = monitor->start(); !problem.isEmpty())
            std::fprintf(stderr, "cachescope-cli: warning: commits are not counted: %s\n", qPrintable(problem));
    }
    const QString host = listen->first.protocol() == QAbstractSocket::IPv6Protocol
        ? u"[%1]"_s.arg(listen->first.toString())
        : listen->first.toString();
    std::fprintf(stderr, "cachescope-cli: serving %s at http://%s:%u/metrics\n",
        qPrintable(Format::counted(databases.size(), u"cache"_s, u"caches"_s)), qPrintable(host),
        unsigned(port.value()));
    std::fflush(stderr);
    QTimer stop;
    QObject::connect(&stop, &QTimer::timeout, [] {
        if (StopSignals::requested().load())
            QCoreApplication::quit();
    });
    stop.start(100);
    QCoreApplication::exec();
    return Cli::Ok;
}

const Cli::RegisterCommand registration(
    { u"metrics"_s, u"serve Prometheus metrics of caches over HTTP"_s, runMetrics });
} // namespace
