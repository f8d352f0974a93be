// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "os/locktable.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

// Helpers shared by the tests: real SQLite files, real child processes, the real CLI.
namespace TestSupport {

// Creates an SQLite database at path with one table "entries"(id INTEGER PRIMARY KEY, key
// TEXT, value TEXT) holding `rows` rows, in the given journal mode ("delete" or "wal").
// Uses the system libsqlite3 directly and closes it, so a WAL file is checkpointed away.
void makeCache(const QString& path, const QString& journalMode, int rows);
// Runs SQL on path through a fresh connection (for fixtures).
void exec(const QString& path, const QString& sql);
qint64 queryInt(const QString& path, const QString& sql);
QByteArray fileBytes(const QString& path); // empty QByteArray if absent
bool exists(const QString& path);
// Bytes 18 and 19 of the database header (1/1 rollback, 2/2 WAL).
QPair<int, int> headerVersions(const QString& path);

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    // stdout as a JSON object (empty when it is none).
    QJsonObject json() const;
};
CliResult runCli(const QStringList& args, int timeoutMs = 60000);
CliResult runProgram(const QString& program, const QStringList& args, int timeoutMs = 60000,
    const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());
// The system Python: its sqlite3 module uses the system libsqlite3, and Debian's
// python3-diskcache, python3-requests-cache and python3-sqlitedict are installed for it.
QString pythonPath();
// Runs `/usr/bin/python3 -c script args…` to its end: exit code, stdout and stderr.
CliResult runPythonScript(const QString& script, const QStringList& args = {}, int timeoutMs = 60000);
// Runs `/usr/bin/python3 file args…` to its end (a script kept in the source tree).
CliResult runPythonFile(const QString& file, const QStringList& args = {}, int timeoutMs = 60000);
// Starts `/usr/bin/python3 -u -c script args…` in process (unbuffered: each print arrives as
// it is made) and returns at once.
void startPythonScript(QProcess& process, const QString& script, const QStringList& args = {});
// Runs a Python script with Debian's libraries (/usr/bin/python3 -c script args…): its stdout,
// trimmed; "python failed" (and a warning with its stderr) on a non-zero exit.
QByteArray runPython(const QString& script, const QStringList& args = {});
// Every file below dir (hidden ones too) with the SHA-256 of its bytes, sorted: two equal lists
// mean no file was created, removed or changed in a byte.
QStringList filesWithDigests(const QString& dir);

// The two ways `watch` names writers, as rows of a data-driven test (column "attribution", a QString): "fanotify" (the
// kernel's write events) and "sampled" (ActivityFeed::setAttribution, watch --attribution).
void addAttributionRows();

// A Python child process (system /usr/bin/python3, whose sqlite3 module uses the system
// libsqlite3) running `script`. The script prints "ready" once it holds what the test needs
// and then waits until its stdin closes. Killed when the object goes away.
class PythonChild {
public:
    explicit PythonChild(const QString& script, const QStringList& args = {});
    ~PythonChild();
    bool waitReady(int timeoutMs = 15000);
    // Waits until its output so far holds word (an answer to a line sent).
    bool waitFor(const QByteArray& word, int timeoutMs = 15000);
    qint64 pid() const;
    void stop();
    // Writes one line to its stdin (a script that reads commands line by line).
    void send(const QByteArray& line);
    QByteArray output() const { return m_output; }

private:
    std::unique_ptr<QProcess> m_process;
    QByteArray m_output;
};

// A Python script for PythonChild holding a cache in one of the ways a real worker does:
// argv[1] = db path, argv[2] = "idle" (WAL/rollback connection that has read once and sits
// idle), "reader" (open read transaction), "writer" (BEGIN IMMEDIATE + an uncommitted insert),
// "exclusive" (BEGIN EXCLUSIVE + an uncommitted insert: in rollback mode nobody can even read),
// "open" (the db file merely open, no SQLite). Prints "ready" while holding.
QString holderScript();
// Appends `rows` rows (one transaction) to table "entries" of a WAL cache from a Python child that exits with
// os._exit (no close, no checkpoint, wal_autocheckpoint off), so the rows stay in the -wal.
void writeLeavingWal(const QString& path, int rows);

// A Python child that keeps one WAL connection to db open (page_size 1024, autocheckpoint
// off, table t) and obeys one command per line, answering one line each:
// "commit N" → "done" (N transactions of one INSERT); "checkpoint [MODE]" → "ckpt busy log
// checkpointed"; "pages" → "pages N". Closing it closes the connection (sidecars go away).
class WalWriterChild {
public:
    explicit WalWriterChild(const QString& db);
    ~WalWriterChild();
    bool waitReady();
    // Sends one command and returns the words of its answer (empty on timeout).
    QList<QByteArray> ask(const QByteArray& command);
    void stop();

private:
    QByteArray readLine();
    std::unique_ptr<QProcess> m_process;
};

// Processes whose parent is pid (from /proc/*/stat), and whether pid still runs (a zombie
// waiting to be reaped does not count as running).
QList<qint64> childPids(qint64 pid);
bool isRunning(qint64 pid);

// Where tests write screenshots (build/tests/screenshots).
QString screenshotPath(const QString& name);
// Sends what the event loop holds queued now (layout requests, polish, deferred updates), in a
// few passes since a layout pass can post another (a child's new size asks its parent): a
// screenshot taken afterwards shows the window laid out for what it holds, with no fixed wait.
// Work in the background (a page read, a sample) is not waited for: wait on its condition first.
void settleEvents();

// sha256 of db and each sidecar (-wal, -shm, -journal; "-" when absent) and the names in its
// directory: equal before and after means nothing was changed, created or removed.
QString cacheFingerprint(const QString& db);

// The lock targets (device, inode) of db and its sidecars as they are now, for LockTable::collect.
QList<LockTable::Target> lockTargetsFor(const QString& db);

// A running `cachescope-cli watch --json --interval-ms N [extra] db` whose lines are parsed as
// they arrive. Killed when the object goes away.
class WatchProcess {
public:
    explicit WatchProcess(const QString& db, int intervalMs = 100, const QStringList& extra = {});
    ~WatchProcess();
    qint64 pid() const { return m_process.processId(); }
    // Reads what arrived; returns the samples seen so far.
    const QList<QJsonObject>& samples();
    QJsonObject last() { return samples().isEmpty() ? QJsonObject() : samples().last(); }
    bool malformed() const { return m_malformed; } // a line that was not a JSON object
    // Stops it like Ctrl-C; returns its exit code (-1 if it did not exit normally).
    int interrupt();

private:
    QProcess m_process;
    QList<QJsonObject> m_samples;
    bool m_malformed = false;
};

} // namespace TestSupport
