// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace TestSupport {

namespace {
    sqlite3* openRaw(const QString& path)
    {
        sqlite3* db = nullptr;
        if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
            qFatal("cannot open fixture %s", qPrintable(path));
        sqlite3_busy_timeout(db, 10000);
        return db;
    }

    void execOn(sqlite3* db, const QString& sql)
    {
        char* message = nullptr;
        if (sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &message) != SQLITE_OK) {
            const QByteArray copy(message ? message : "?");
            sqlite3_free(message);
            qFatal("fixture SQL failed: %s: %s", qPrintable(sql), copy.constData());
        }
    }
} // namespace

void makeCache(const QString& path, const QString& journalMode, int rows)
{
    sqlite3* db = openRaw(path);
    execOn(db, u"PRAGMA journal_mode="_s + journalMode);
    execOn(db, u"CREATE TABLE entries(id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT)"_s);
    execOn(db, u"BEGIN"_s);
    for (int i = 1; i <= rows; ++i)
        execOn(db, u"INSERT INTO entries(key, value) VALUES('key-%1', '{\"answer\": %1}')"_s.arg(i));
    execOn(db, u"COMMIT"_s);
    sqlite3_close(db);
}

void exec(const QString& path, const QString& sql)
{
    sqlite3* db = openRaw(path);
    execOn(db, sql);
    sqlite3_close(db);
}

qint64 queryInt(const QString& path, const QString& sql)
{
    sqlite3* db = openRaw(path);
    sqlite3_stmt* stmt = nullptr;
    qint64 value = -1;
    if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &stmt, nullptr) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

QByteArray fileBytes(const QString& path)
{
    if (!QFileInfo(path).isFile())
        return QByteArray(); // never open a FIFO or device: that would block or have effects
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool exists(const QString& path)
{
    return QFileInfo::exists(path) || QFileInfo(path).isSymLink();
}

QPair<int, int> headerVersions(const QString& path)
{
    const QByteArray bytes = fileBytes(path);
    if (bytes.size() < 20)
        return { -1, -1 };
    return { int(quint8(bytes.at(18))), int(quint8(bytes.at(19))) };
}

CliResult runProgram(const QString& program, const QStringList& args, int timeoutMs, const QProcessEnvironment& env)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(program, args);
    CliResult result;
    if (!process.waitForStarted(10000))
        return result;
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

CliResult runCli(const QStringList& args, int timeoutMs)
{
    return runProgram(QStringLiteral(CACHESCOPE_CLI_PATH), args, timeoutMs);
}

PythonChild::PythonChild(const QString& script, const QStringList& args)
    : m_process(std::make_unique<QProcess>())
{
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(u"/usr/bin/python3"_s, QStringList { u"-u"_s, u"-c"_s, script } + args);
}

PythonChild::~PythonChild()
{
    stop();
}

bool PythonChild::waitReady(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (m_process->state() == QProcess::NotRunning)
            break;
        m_process->waitForReadyRead(100);
        m_output += m_process->readAll();
        if (m_output.contains("ready"))
            return true;
    }
    m_output += m_process->readAll();
    qWarning("python child not ready: %s", m_output.constData());
    return false;
}

qint64 PythonChild::pid() const
{
    return m_process->processId();
}

void PythonChild::stop()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->closeWriteChannel();
        if (!m_process->waitForFinished(3000)) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
    }
}

QString screenshotPath(const QString& name)
{
    const QString dir = QStringLiteral(CACHESCOPE_TEST_OUTPUT_DIR) + u"/screenshots"_s;
    QDir().mkpath(dir);
    return dir + u'/' + name;
}

QString holderScript()
{
    return uR"PY(
import os, sqlite3, sys
path, kind = sys.argv[1], sys.argv[2]
if kind == "open":
    f = open(path, "rb")
else:
    c = sqlite3.connect(path, isolation_level=None, timeout=10)
    if kind == "idle":
        c.execute("SELECT count(*) FROM entries").fetchall()
    elif kind == "reader":
        c.execute("BEGIN")
        c.execute("SELECT count(*) FROM entries").fetchall()
    elif kind == "writer":
        c.execute("BEGIN IMMEDIATE")
        c.execute("INSERT INTO entries(key, value) VALUES('held', 'held')")
print("ready", flush=True)
sys.stdin.read()
)PY"_s;
}

void writeLeavingWal(const QString& path, int rows)
{
    const QString script = uR"PY(
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("PRAGMA journal_mode=WAL")
c.execute("PRAGMA wal_autocheckpoint=0")
for i in range(int(sys.argv[2])):
    c.execute("INSERT INTO entries(key, value) VALUES(?, ?)", ("wal-%d" % i, "x" * 200))
os._exit(0)
)PY"_s;
    const auto result = runProgram(u"/usr/bin/python3"_s, { u"-c"_s, script, path, QString::number(rows) });
    if (result.exitCode != 0)
        qFatal("writeLeavingWal failed: %s", result.err.constData());
}

} // namespace TestSupport
