// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include <QCryptographicHash>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QTest>

#include <csignal>
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

QJsonObject CliResult::json() const
{
    return QJsonDocument::fromJson(out).object();
}

QString pythonPath()
{
    return u"/usr/bin/python3"_s;
}

CliResult runPythonScript(const QString& script, const QStringList& args, int timeoutMs)
{
    return runProgram(pythonPath(), QStringList { u"-c"_s, script } + args, timeoutMs);
}

CliResult runPythonFile(const QString& file, const QStringList& args, int timeoutMs)
{
    return runProgram(pythonPath(), QStringList { file } + args, timeoutMs);
}

void startPythonScript(QProcess& process, const QString& script, const QStringList& args)
{
    process.start(pythonPath(), QStringList { u"-u"_s, u"-c"_s, script } + args);
}

QByteArray runPython(const QString& script, const QStringList& args)
{
    const auto result = runPythonScript(script, args, 120000);
    if (result.exitCode != 0)
        qWarning("python failed (%d): %s", result.exitCode, result.err.constData());
    return result.exitCode == 0 ? result.out.trimmed() : QByteArray("python failed");
}

QStringList filesWithDigests(const QString& dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files << path + u' '
                + QString::fromLatin1(QCryptographicHash::hash(fileBytes(path), QCryptographicHash::Sha256).toHex());
    }
    files.sort();
    return files;
}

PythonChild::PythonChild(const QString& script, const QStringList& args)
    : m_process(std::make_unique<QProcess>())
{
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    startPythonScript(*m_process, script, args);
}

PythonChild::~PythonChild()
{
    stop();
}

bool PythonChild::waitReady(int timeoutMs)
{
    return waitFor("ready", timeoutMs);
}

bool PythonChild::waitFor(const QByteArray& word, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (m_process->state() == QProcess::NotRunning)
            break;
        m_process->waitForReadyRead(100);
        m_output += m_process->readAll();
        if (m_output.contains(word))
            return true;
    }
    m_output += m_process->readAll();
    qWarning("python child did not say %s: %s", word.constData(), m_output.constData());
    return false;
}

qint64 PythonChild::pid() const
{
    return m_process->processId();
}

void PythonChild::send(const QByteArray& line)
{
    m_process->write(line + '\n');
    m_process->waitForBytesWritten(3000);
}

void PythonChild::stop()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->closeWriteChannel();
        if (!m_process->waitForFinished(3000)) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
        m_output += m_process->readAll(); // what it said on its way out
    }
}

namespace {
    const char* walWriterScript = R"(
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute('PRAGMA page_size=1024')
db.execute('PRAGMA journal_mode=WAL')
db.execute('PRAGMA synchronous=NORMAL')
db.execute('PRAGMA wal_autocheckpoint=0')
db.execute('CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)')
print('ready', flush=True)
for line in sys.stdin:
    words = line.split()
    if words[0] == 'commit':
        for i in range(int(words[1])):
            db.execute('BEGIN IMMEDIATE')
            db.execute('INSERT INTO t(v) VALUES (?)', ('x' * 300,))
            db.execute('COMMIT')
        print('done', flush=True)
    elif words[0] == 'checkpoint':
        mode = words[1] if len(words) > 1 else 'PASSIVE'
        busy, log, done = db.execute('PRAGMA wal_checkpoint(%s)' % mode).fetchone()
        print('ckpt', busy, log, done, flush=True)
    elif words[0] == 'pages':
        print('pages', db.execute('PRAGMA page_count').fetchone()[0], flush=True)
db.close()
)";

    // Fields of /proc/<pid>/stat after the command name: state is [0], ppid is [1].
    QList<QByteArray> statFields(qint64 pid)
    {
        QFile file(u"/proc/%1/stat"_s.arg(pid));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QByteArray stat = file.readAll();
        const int end = stat.lastIndexOf(')');
        return end < 0 ? QList<QByteArray> {} : stat.mid(end + 2).split(' ');
    }
} // namespace

WalWriterChild::WalWriterChild(const QString& db)
    : m_process(std::make_unique<QProcess>())
{
    startPythonScript(*m_process, QString::fromLatin1(walWriterScript), { db });
}

WalWriterChild::~WalWriterChild()
{
    stop();
}

bool WalWriterChild::waitReady()
{
    return readLine() == "ready";
}

QList<QByteArray> WalWriterChild::ask(const QByteArray& command)
{
    m_process->write(command + '\n');
    const QByteArray line = readLine();
    return line.isEmpty() ? QList<QByteArray> {} : line.split(' ');
}

void WalWriterChild::stop()
{
    if (m_process->state() == QProcess::NotRunning)
        return;
    m_process->closeWriteChannel();
    if (!m_process->waitForFinished(10000)) {
        m_process->kill();
        m_process->waitForFinished(3000);
    }
}

QByteArray WalWriterChild::readLine()
{
    QElapsedTimer timer;
    timer.start();
    while (!m_process->canReadLine() && timer.elapsed() < 30000) {
        if (m_process->state() == QProcess::NotRunning)
            break;
        m_process->waitForReadyRead(100);
    }
    const QByteArray line = m_process->readLine().trimmed();
    if (line.isEmpty())
        qWarning("WAL writer did not answer: %s", m_process->readAllStandardError().constData());
    return line;
}

QList<qint64> childPids(qint64 pid)
{
    QList<qint64> children;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool numeric = false;
        const qint64 candidate = entry.toLongLong(&numeric);
        if (!numeric)
            continue;
        const auto fields = statFields(candidate);
        if (fields.size() > 1 && fields.at(1).toLongLong() == pid && fields.at(0) != "Z")
            children.append(candidate);
    }
    return children;
}

bool isRunning(qint64 pid)
{
    const auto fields = statFields(pid);
    return !fields.isEmpty() && fields.at(0) != "Z" && fields.at(0) != "X";
}

QString screenshotPath(const QString& name)
{
    const QString dir = QStringLiteral(CACHESCOPE_TEST_OUTPUT_DIR) + u"/screenshots"_s;
    QDir().mkpath(dir);
    return dir + u'/' + name;
}

void settleEvents()
{
    for (int pass = 0; pass < 5; ++pass) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
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
    elif kind == "exclusive":
        c.execute("BEGIN EXCLUSIVE")
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
c.execute("BEGIN")
for i in range(int(sys.argv[2])):
    c.execute("INSERT INTO entries(key, value) VALUES(?, ?)", ("wal-%d" % i, "x" * 200))
c.execute("COMMIT")
os._exit(0)
)PY"_s;
    const auto result = runPythonScript(script, { path, QString::number(rows) });
    if (result.exitCode != 0)
        qFatal("writeLeavingWal failed: %s", result.err.constData());
}

QString cacheFingerprint(const QString& db)
{
    QStringList parts;
    for (const QString& suffix : { u""_s, u"-wal"_s, u"-shm"_s, u"-journal"_s }) {
        const QString file = db + suffix;
        parts << (QFileInfo(file).isFile()
                ? QString::fromLatin1(QCryptographicHash::hash(fileBytes(file), QCryptographicHash::Sha256).toHex())
                : u"-"_s);
    }
    parts << QDir(QFileInfo(db).absolutePath()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System);
    return parts.join(u' ');
}

QList<LockTable::Target> lockTargetsFor(const QString& db)
{
    const CacheFiles files(db);
    CacheFiles::FileInfo infos[CacheFiles::KindCount];
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        infos[i] = files.stat(CacheFiles::Kind(i));
    return LockTable::targetsOf(infos);
}

WatchProcess::WatchProcess(const QString& db, int intervalMs, const QStringList& extra)
{
    m_process.start(QStringLiteral(CACHESCOPE_CLI_PATH),
        QStringList { u"watch"_s, u"--json"_s, u"--interval-ms"_s, QString::number(intervalMs) } + extra
            + QStringList { db });
}

WatchProcess::~WatchProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

const QList<QJsonObject>& WatchProcess::samples()
{
    m_process.waitForReadyRead(50);
    while (m_process.canReadLine()) {
        const QJsonDocument line = QJsonDocument::fromJson(m_process.readLine());
        if (!line.isObject())
            m_malformed = true;
        m_samples.append(line.object());
    }
    return m_samples;
}

int WatchProcess::interrupt()
{
    ::kill(pid_t(m_process.processId()), SIGINT);
    if (!m_process.waitForFinished(10000) || m_process.exitStatus() != QProcess::NormalExit)
        return -1;
    samples();
    return m_process.exitCode();
}

void addAttributionRows()
{
    QTest::addColumn<QString>("attribution");
    QTest::addRow("fanotify") << QStringLiteral("fanotify");
    QTest::addRow("sampled") << QStringLiteral("sampled");
}

} // namespace TestSupport
