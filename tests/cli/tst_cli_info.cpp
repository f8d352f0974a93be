// SPDX-License-Identifier: GPL-3.0-or-later
// cachescope-cli info / enable-wal as a user runs them: real files, real process, exit codes.
#include "live/warningcatalog.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCliInfo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.renew()); }
    void infoJsonOnDeleteCacheTouchesNothing();
    void infoJsonOnLiveWalCache();
    void infoText();
    void notesAboutTheOpenOnStderr();
    void errors_data();
    void errors();
    void permissionDenied();
    void enableWal();
    void enableWalJsonCarriesItsWarnings();
    void enableWalRefusedWhileLocked();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    ScratchDir m_dir;
};

void TestCliInfo::infoJsonOnDeleteCacheTouchesNothing()
{
    const QString file = path(u"cache.db"_s);
    makeCache(file, u"delete"_s, 42);
    exec(file, u"CREATE TABLE second(a, b); INSERT INTO second VALUES(1, 2)"_s);
    const QByteArray before = fileBytes(file);
    const auto result = runCli({ u"info"_s, file, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.err.isEmpty());
    const QJsonObject info = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(info[u"path"_s].toString(), file);
    QCOMPARE(info[u"journal_mode"_s].toString(), u"delete"_s);
    QCOMPARE(info[u"sqlite_version"_s].toString().section(u'.', 0, 0), u"3"_s);
    QCOMPARE(info[u"page_size"_s].toInteger(), queryInt(file, u"PRAGMA page_size"_s));
    QCOMPARE(info[u"page_count"_s].toInteger(), QFileInfo(file).size() / info[u"page_size"_s].toInteger());
    QCOMPARE(info[u"freelist_count"_s].toInteger(), 0);
    const QJsonObject files = info[u"files"_s].toObject();
    QCOMPARE(files[u"db"_s].toObject()[u"bytes"_s].toInteger(), QFileInfo(file).size());
    QCOMPARE(files[u"db"_s].toObject()[u"path"_s].toString(), file);
    QVERIFY(files[u"wal"_s].isNull());
    QVERIFY(files[u"shm"_s].isNull());
    QVERIFY(files[u"journal"_s].isNull());
    const QJsonArray tables = info[u"tables"_s].toArray();
    QCOMPARE(tables.size(), 2);
    QCOMPARE(tables[0].toObject()[u"name"_s].toString(), u"entries"_s);
    QCOMPARE(tables[0].toObject()[u"rows"_s].toInteger(), 42);
    QCOMPARE(tables[1].toObject()[u"rows"_s].toInteger(), 1);
    QVERIFY(tables[0].toObject().contains(u"profile"_s));
    const QJsonArray warnings = info[u"warnings"_s].toArray();
    QCOMPARE(warnings.size(), 1);
    QCOMPARE(warnings[0].toObject()[u"code"_s].toString(), u"not_wal"_s);
    QVERIFY(!warnings[0].toObject()[u"message"_s].toString().isEmpty());
    QCOMPARE(fileBytes(file), before);
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList { u"cache.db"_s });
}

void TestCliInfo::infoJsonOnLiveWalCache()
{
    // A writer process keeps a connection open: -wal and -shm exist and are reported.
    const QString file = path(u"live.db"_s);
    makeCache(file, u"wal"_s, 10);
    PythonChild writer(uR"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode=WAL")
for i in range(20):
    c.execute("INSERT INTO entries(key, value) VALUES(?, ?)", ("k%d" % i, "v"))
print("ready")
sys.stdin.read()
)PY"_s,
        { file });
    QVERIFY(writer.waitReady());
    const auto result = runCli({ u"info"_s, file, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject info = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(info[u"journal_mode"_s].toString(), u"wal"_s);
    const QJsonObject files = info[u"files"_s].toObject();
    QCOMPARE(files[u"wal"_s].toObject()[u"bytes"_s].toInteger(), QFileInfo(file + u"-wal"_s).size());
    QVERIFY(files[u"wal"_s].toObject()[u"bytes"_s].toInteger() > 0);
    QCOMPARE(files[u"shm"_s].toObject()[u"bytes"_s].toInteger(), QFileInfo(file + u"-shm"_s).size());
    QCOMPARE(info[u"tables"_s].toArray()[0].toObject()[u"rows"_s].toInteger(), 30); // reads through the WAL
    for (const auto& warning : info[u"warnings"_s].toArray())
        QVERIFY(warning.toObject()[u"code"_s].toString() != u"not_wal"_s);
}

void TestCliInfo::infoText()
{
    const QString file = path(u"text.db"_s);
    makeCache(file, u"delete"_s, 3000);
    const auto result = runCli({ u"info"_s, file });
    QCOMPARE(result.exitCode, 0);
    const QString text = QString::fromUtf8(result.out);
    // One vocabulary with the GUI (#28 review): journal modes as DELETE / WAL, the tables' "format"
    // (not "profile"), counts grouped.
    QVERIFY2(text.contains(u"journal mode    DELETE\n"_s), qPrintable(text));
    QVERIFY2(text.contains(QRegularExpression(u"\\ntable\\s+rows\\s+format\\n"_s)), qPrintable(text));
    QVERIFY2(text.contains(QRegularExpression(u"\\nentries\\s+3,000  generic\\n"_s)), qPrintable(text));
    QVERIFY2(!text.contains(u"profile"_s), qPrintable(text));
    QVERIFY2(text.contains(u" KiB"_s), qPrintable(text)); // human-readable sizes
    QVERIFY2(text.contains(u"-wal            absent"_s), qPrintable(text));
    QVERIFY2(text.contains(u"warning [not_wal]"_s), qPrintable(text));
}

void TestCliInfo::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrPart");
    QTest::newRow("no command") << QStringList {} << 2 << u"Usage"_s;
    QTest::newRow("unknown command") << QStringList { u"frobnicate"_s } << 2 << u"unknown command"_s;
    QTest::newRow("no db") << QStringList { u"info"_s } << 2 << u"expects 1 argument"_s;
    QTest::newRow("bad option") << QStringList { u"info"_s, u"--bogus"_s, u"x.db"_s } << 2 << u"bogus"_s;
    QTest::newRow("bad timeout") << QStringList { u"info"_s, u"--busy-timeout-ms=abc"_s, u"x.db"_s } << 2
                                 << u"whole number"_s;
    QTest::newRow("missing file") << QStringList { u"info"_s, u"@/nope.db"_s } << 1 << u"does not exist"_s;
    QTest::newRow("directory") << QStringList { u"info"_s, u"@"_s } << 1 << u"is a directory"_s;
    QTest::newRow("not sqlite") << QStringList { u"info"_s, u"@/text.db"_s } << 1 << u"not an SQLite database"_s;
}

void TestCliInfo::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrPart);
    QFile text(path(u"text.db"_s));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("hello, not a database\n");
    text.close();
    for (QString& arg : args)
        arg.replace(u'@', m_dir.path());
    const auto result = runCli(args);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(result.err).contains(stderrPart), result.err.constData());
    QVERIFY(result.out.isEmpty());
}

void TestCliInfo::permissionDenied()
{
    const QString file = path(u"secret.db"_s);
    makeCache(file, u"delete"_s, 1);
    QVERIFY(QFile::setPermissions(file, QFile::WriteOwner));
    QVERIFY(QFile::setPermissions(m_dir.path(),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeOther | QFile::ReadOther | QFile::ExeGroup));
    // Root reads everything, so as root run the CLI as "nobody", who may not read the file.
    QStringList command { QStringLiteral(CACHESCOPE_CLI_PATH), u"info"_s, file };
    if (::geteuid() == 0)
        command = QStringList { u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s, u"--"_s } + command;
    const auto result = runProgram(::geteuid() == 0 ? u"/usr/bin/setpriv"_s : command.takeFirst(), command);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("permission denied"), result.err.constData());
}

void TestCliInfo::enableWal()
{
    const QString file = path(u"convert.db"_s);
    makeCache(file, u"delete"_s, 7);
    auto result = runCli({ u"enable-wal"_s, file, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    QJsonObject json = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(json[u"previous"_s].toString(), u"delete"_s);
    QCOMPARE(json[u"journal_mode"_s].toString(), u"wal"_s);
    QCOMPARE(headerVersions(file), qMakePair(2, 2));
    QCOMPARE(queryInt(file, u"SELECT count(*) FROM entries"_s), 7);
    result = runCli({ u"enable-wal"_s, file });
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains("already in WAL mode"), result.out.constData());
    // The text names journal modes as the GUI does (#28 review: "delete → wal" beside the GUI's DELETE / WAL).
    const QString second = path(u"convert2.db"_s);
    makeCache(second, u"delete"_s, 1);
    result = runCli({ u"enable-wal"_s, second });
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(QString::fromUtf8(result.out), u"journal mode: DELETE → WAL\n"_s);
}

void TestCliInfo::notesAboutTheOpenOnStderr()
{
    // A -wal left by a writer that is gone: the read-only open reads a private copy and says so
    // (the cachescope.database category, printed by the CLI as a note), outside the JSON.
    const QString file = path(u"left.db"_s);
    makeCache(file, u"wal"_s, 5);
    writeLeavingWal(file, 3);
    QVERIFY(exists(file + u"-wal"_s));
    const auto result = runCli({ u"info"_s, file, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(
        result.err.contains("cachescope-cli: note: ") && result.err.contains("private copy"), result.err.constData());
    QVERIFY(QJsonDocument::fromJson(result.out).isObject());
}

void TestCliInfo::enableWalJsonCarriesItsWarnings()
{
    // A -wal copied from another database beside this one: enable-wal refuses it (exit 3, #22.4);
    // accepted with --accept-foreign-wal, it warns in the JSON (it went to stderr only, outside
    // the contract).
    const QString other = path(u"other.db"_s);
    makeCache(other, u"wal"_s, 3);
    writeLeavingWal(other, 2);
    const QString file = path(u"foreign.db"_s);
    exec(file, u"PRAGMA page_size=1024; CREATE TABLE u(y)"_s);
    QVERIFY(QFile::copy(other + u"-wal"_s, file + u"-wal"_s));
    const QByteArray before = fileBytes(file);
    const auto refused = runCli({ u"enable-wal"_s, file, u"--json"_s });
    QCOMPARE(refused.exitCode, 3);
    QVERIFY(refused.out.isEmpty());
    QVERIFY2(refused.err.contains("refusing to enable WAL") && refused.err.contains("--accept-foreign-wal"),
        refused.err.constData());
    QCOMPARE(fileBytes(file), before);
    const auto result = runCli({ u"enable-wal"_s, file, u"--json"_s, u"--accept-foreign-wal"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonArray warnings = QJsonDocument::fromJson(result.out).object()[u"warnings"_s].toArray();
    QCOMPARE(warnings.size(), 1);
    QCOMPARE(warnings.at(0).toObject()[u"code"_s].toString(), WarningCode::ForeignWal);
    QVERIFY2(!result.err.contains("foreign"), result.err.constData());
    // A cache with its own (or no) -wal has none.
    makeCache(path(u"plain.db"_s), u"delete"_s, 1);
    const auto clean = runCli({ u"enable-wal"_s, path(u"plain.db"_s), u"--json"_s });
    QCOMPARE(QJsonDocument::fromJson(clean.out).object()[u"warnings"_s].toArray().size(), 0);
}

void TestCliInfo::enableWalRefusedWhileLocked()
{
    const QString file = path(u"busy.db"_s);
    makeCache(file, u"delete"_s, 3);
    PythonChild reader(uR"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN")
c.execute("SELECT count(*) FROM entries").fetchall()
print("ready")
sys.stdin.read()
)PY"_s,
        { file });
    QVERIFY(reader.waitReady());
    const QByteArray before = fileBytes(file);
    const auto result = runCli({ u"enable-wal"_s, file });
    QCOMPARE(result.exitCode, 3); // busy (#12.8): exit 3, the holder named
    QVERIFY2(result.err.contains("another process"), result.err.constData());
    const QByteArray holder = "held by PID " + QByteArray::number(reader.pid());
    QVERIFY2(result.err.contains(holder), result.err.constData());
    QCOMPARE(fileBytes(file), before);
}

QTEST_GUILESS_MAIN(TestCliInfo)
#include "tst_cli_info.moc"
