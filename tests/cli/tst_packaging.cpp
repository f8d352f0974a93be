// SPDX-License-Identifier: GPL-3.0-or-later
// The Debian package's pieces: manual pages and bash completion that know every CLI command,
// AppStream content rating and MIME association; lintian on the .deb of `./setup.sh package`
// (build-release/) when one was built and lintian is installed.
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
QString source(const QString& relative)
{
    return QStringLiteral(CACHESCOPE_SOURCE_DIR) + u'/' + relative;
}

QString readText(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(file.readAll());
}

// The commands `cachescope-cli --help` lists.
QStringList cliCommands()
{
    const auto help = runCli({ u"--help"_s });
    QStringList names;
    static const QRegularExpression line(u"^  ([a-z][a-z-]+)  "_s, QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(QString::fromUtf8(help.out)); it.hasNext();)
        names << it.next().captured(1);
    return names;
}
} // namespace

class TestPackaging : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void manualPagesNameEveryCommand();
    void helpListsCommandsInOneStyle();
    void manualPageNamesTheMetricsProgram();
    void bashCompletionKnowsEveryCommand();
    void appStreamAndMime();
    void lintianAcceptsTheDeb();
};

void TestPackaging::manualPagesNameEveryCommand()
{
    const QString cliPage = readText(source(u"packaging/man/cachescope-cli.1"_s));
    const QString guiPage = readText(source(u"packaging/man/cachescope.1"_s));
    QVERIFY(cliPage.contains(u".SH NAME"_s) && guiPage.contains(u".SH NAME"_s));
    const QStringList commands = cliCommands();
    QVERIFY(commands.contains(u"query"_s));
    for (const QString& command : commands) {
        QString escaped = command;
        escaped.replace(u"-"_s, u"\\-"_s);
        QVERIFY2(cliPage.contains(u".BI \""_s + escaped + u' '), qPrintable(command));
    }
}

// `cachescope-cli --help` lists every command with a summary in the same style: lower case, no
// full stop (as `git help` does).
void TestPackaging::helpListsCommandsInOneStyle()
{
    const auto help = runCli({ u"--help"_s });
    static const QRegularExpression line(u"^  ([a-z][a-z-]+) +(\\S.*)$"_s, QRegularExpression::MultilineOption);
    int listed = 0;
    for (auto it = line.globalMatch(QString::fromUtf8(help.out)); it.hasNext(); ++listed) {
        const auto match = it.next();
        const QString summary = match.captured(2);
        QVERIFY2(summary.front().isLower() && !summary.endsWith(u'.'), qPrintable(match.captured(0)));
    }
    QCOMPARE(listed, cliCommands().size());
}

void TestPackaging::manualPageNamesTheMetricsProgram()
{
    // `metrics` execs its own program: the page names it where the package installs it.
    static const QRegularExpression libexec(u"set\\(METRICS_LIBEXEC_DIR ([^)]+)\\)"_s);
    const QString folder = libexec.match(readText(source(u"src/CMakeLists.txt"_s))).captured(1);
    QVERIFY(!folder.isEmpty());
    QString installed = u"/usr/"_s + folder + u"/cachescope-metrics"_s;
    installed.replace(u"-"_s, u"\\-"_s);
    const QString cliPage = readText(source(u"packaging/man/cachescope-cli.1"_s));
    QVERIFY2(cliPage.contains(u".SH FILES\n.TP\n.I "_s + installed), qPrintable(installed));
}

void TestPackaging::bashCompletionKnowsEveryCommand()
{
    const QString path = source(u"packaging/bash-completion/cachescope-cli"_s);
    const QString script = readText(path);
    static const QRegularExpression list(u"local commands=\"([^\"]*)\""_s);
    const QStringList known = list.match(script).captured(1).split(u' ');
    for (const QString& command : cliCommands())
        QVERIFY2(known.contains(command), qPrintable(command));
    const auto syntax = runProgram(u"bash"_s, { u"-n"_s, path });
    QCOMPARE(syntax.exitCode, 0);
}

void TestPackaging::appStreamAndMime()
{
    const QString metainfo = readText(source(u"packaging/io.github.cachescope.CacheScope.metainfo.xml"_s));
    QVERIFY(metainfo.contains(u"<content_rating type=\"oars-1.1\""_s));
    QVERIFY(metainfo.contains(u"<mediatype>application/vnd.sqlite3</mediatype>"_s));
    const QString desktop = readText(source(u"packaging/io.github.cachescope.CacheScope.desktop"_s));
    QVERIFY(desktop.contains(u"MimeType=application/vnd.sqlite3;"_s));
    QVERIFY(desktop.contains(u"Exec=cachescope %f"_s));
}

void TestPackaging::lintianAcceptsTheDeb()
{
    const QString lintian = QStandardPaths::findExecutable(u"lintian"_s);
    const QStringList debs = QDir(source(u"build-release"_s)).entryList({ u"cachescope_*.deb"_s }, QDir::Files);
    if (lintian.isEmpty() || debs.isEmpty())
        QSKIP("no build-release/cachescope_*.deb or no lintian: run ./setup.sh package");
    const auto result = runProgram(
        lintian, { u"--fail-on"_s, u"error,warning"_s, source(u"build-release/"_s) + debs.first() }, 300000);
    QVERIFY2(result.exitCode == 0, result.out.constData());
}

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
