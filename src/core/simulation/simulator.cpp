// SPDX-License-Identifier: GPL-3.0-or-later
#include "simulation/simulator.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

using namespace Qt::Literals::StringLiterals;

namespace {
struct Child {
    pid_t pid = -1;
    int fd = -1; // read end of the worker's stdout
    QByteArray output;
    int status = 0;
};

Result<Child> spawnWorker(const QString& program, const QStringList& arguments)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return Error { Error::Kind::Io,
            u"cannot create a pipe: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno))) };
    QList<QByteArray> storage { QFile::encodeName(program) };
    for (const QString& argument : arguments)
        storage.append(argument.toUtf8());
    std::vector<char*> argv;
    for (QByteArray& item : storage)
        argv.push_back(item.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO); // dup2 clears CLOEXEC
    // The worker starts with SIGINT and SIGTERM blocked (a signal mask survives exec) and unblocks
    // them once its handlers are in place (StopSignals::install): a stop passed on while it is
    // still starting waits for it instead of killing it before it can report.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t blocked;
    ::pthread_sigmask(SIG_SETMASK, nullptr, &blocked);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGTERM);
    posix_spawnattr_setsigmask(&attributes, &blocked);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    Child child;
    const int rc = ::posix_spawn(&child.pid, argv[0], &actions, &attributes, argv.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        return Error { Error::Kind::Io,
            u"cannot start a simulator worker (%1): %2"_s.arg(program, QString::fromLocal8Bit(std::strerror(rc))) };
    }
    child.fd = fds[0];
    return child;
}

void signalAll(const std::vector<Child>& children, int signal)
{
    for (const Child& child : children)
        ::kill(child.pid, signal);
}

// Reads whatever the workers wrote until every pipe is closed, passing stop requests on.
void collect(std::vector<Child>& children, const std::atomic<int>& stopRequests, bool& interrupted)
{
    int signalled = 0;
    for (;;) {
        const int requests = stopRequests.load();
        if (requests > signalled) {
            interrupted = true;
            signalAll(children, requests >= 2 ? SIGKILL : SIGTERM);
            signalled = requests;
        }
        std::vector<pollfd> fds;
        std::vector<Child*> owners;
        for (Child& child : children) {
            if (child.fd >= 0) {
                fds.push_back({ child.fd, POLLIN, 0 });
                owners.push_back(&child);
            }
        }
        if (fds.empty())
            return;
        if (::poll(fds.data(), fds.size(), 200) <= 0)
            continue; // timeout or EINTR (a signal): look at the stop requests again
        for (size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].revents == 0)
                continue;
            Child& child = *owners[i];
            char buffer[4096];
            const ssize_t n = ::read(child.fd, buffer, sizeof buffer);
            if (n > 0) {
                child.output.append(buffer, int(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(child.fd);
                child.fd = -1;
            }
        }
    }
}

QString describeExit(int status)
{
    if (WIFSIGNALED(status))
        return u"killed by signal %1 (%2) before reporting"_s.arg(WTERMSIG(status))
            .arg(QString::fromLocal8Bit(strsignal(WTERMSIG(status))));
    return u"exited with status %1 without a report"_s.arg(WEXITSTATUS(status));
}

// The worker's own report, or — when it has none — what is known from its exit status.
SimulatorWorker::Counts countsOf(const QByteArray& output, pid_t pid, int status)
{
    const QByteArray last = output.trimmed().split('\n').last();
    const QJsonDocument report = QJsonDocument::fromJson(last);
    SimulatorWorker::Counts counts;
    if (report.isObject()) {
        counts = SimulatorWorker::Counts::fromJson(report.object());
        counts.reportedStored = counts.stored;
        return counts;
    }
    counts.pid = pid;
    counts.reported = false;
    counts.killedBySignal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    counts.lastError = describeExit(status);
    return counts;
}
} // namespace

Simulator::Simulator(Options options)
    : m_options(std::move(options))
{
}

qint64 Simulator::quota(int index) const
{
    if (m_options.entries < 0)
        return -1;
    const qint64 base = m_options.entries / m_options.workers;
    return base + (index < m_options.entries % m_options.workers ? 1 : 0);
}

QStringList Simulator::workerArguments(int index, pid_t parent, const QString& runId) const
{
    return { u"simulate"_s, u"--worker-index"_s, QString::number(index), u"--worker-parent"_s, QString::number(parent),
        u"--worker-run-id"_s, runId, u"--worker-entries"_s, QString::number(quota(index)), u"--worker-duration-ms"_s,
        QString::number(m_options.durationMs), u"--journal"_s, m_options.journal, u"--busy-timeout-ms"_s,
        QString::number(m_options.busyTimeoutMs), u"--payload-bytes"_s, QString::number(m_options.payloadBytes),
        u"--rate-per-worker"_s, QString::number(m_options.ratePerWorker), m_options.dbPath };
}

Status Simulator::prepare()
{
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW;
    const int opened = sqlite3_open_v2(m_options.dbPath.toUtf8().constData(), &db, flags, nullptr);
    auto failure = [&](const QString& what) {
        Error error { Error::Kind::Io, u"%1: %2"_s.arg(what, QString::fromUtf8(db ? sqlite3_errmsg(db) : "?")) };
        if ((sqlite3_errcode(db) & 0xff) == SQLITE_BUSY)
            error.kind = Error::Kind::Locked;
        sqlite3_close_v2(db);
        return error;
    };
    if (opened != SQLITE_OK)
        return failure(u"cannot create %1"_s.arg(m_options.dbPath));
    sqlite3_busy_timeout(db, 10000);
    const QByteArray mode = m_options.journal == u"wal"_s ? "wal" : "delete";
    sqlite3_stmt* statement = nullptr;
    QByteArray found;
    if (sqlite3_prepare_v2(db, QByteArray("PRAGMA journal_mode=" + mode).constData(), -1, &statement, nullptr)
            == SQLITE_OK
        && sqlite3_step(statement) == SQLITE_ROW)
        found = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    if (found != mode)
        return failure(
            u"cannot set journal_mode=%1 (another process may hold the database)"_s.arg(QString::fromLatin1(mode)));
    if (sqlite3_exec(db, SimulatorWorker::schemaSql().toUtf8().constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
        return failure(u"cannot create the llm_cache table"_s);
    sqlite3_close_v2(db);
    return {};
}

Result<SimulationSummary> Simulator::run(const std::atomic<int>& stopRequests)
{
    if (Status prepared = prepare(); !prepared)
        return prepared.error();
    const QString runId = u"%1-%2"_s.arg(::getpid()).arg(QDateTime::currentMSecsSinceEpoch());
    QElapsedTimer clock;
    clock.start();
    std::vector<Child> children;
    for (int index = 0; index < m_options.workers; ++index) {
        auto child = spawnWorker(m_options.workerProgram, workerArguments(index, ::getpid(), runId));
        if (!child) {
            signalAll(children, SIGKILL);
            for (Child& started : children)
                ::waitpid(started.pid, nullptr, 0);
            return child.error();
        }
        children.push_back(child.value());
    }
    SimulationSummary summary;
    collect(children, stopRequests, summary.interrupted);
    for (Child& child : children) {
        while (::waitpid(child.pid, &child.status, 0) < 0 && errno == EINTR) { }
    }
    summary.elapsedMs = clock.elapsed();
    summary.workers = m_options.workers;
    summary.entries = m_options.entries;
    summary.journal = m_options.journal;
    summary.busyTimeoutMs = m_options.busyTimeoutMs;
    summary.payloadBytes = m_options.payloadBytes;
    const auto inFile = storedInFile(runId);
    for (const Child& child : children) {
        SimulatorWorker::Counts counts = countsOf(child.output, child.pid, child.status);
        if (inFile)
            counts.stored = inFile->value(qint64(child.pid));
        else if (!counts.reported)
            counts.lastError += u"; its rows could not be counted: "_s + inFile.error().message;
        summary.perWorker.append(counts);
    }
    return summary;
}

Result<QHash<qint64, qint64>> Simulator::storedInFile(const QString& runId) const
{
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW;
    QHash<qint64, qint64> counts;
    int rc = sqlite3_open_v2(m_options.dbPath.toUtf8().constData(), &db, flags, nullptr);
    sqlite3_stmt* statement = nullptr;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 10000);
        rc = sqlite3_prepare_v2(db, "SELECT pid, count(*) FROM llm_cache WHERE prompt LIKE ?1 ESCAPE '\\' GROUP BY pid",
            -1, &statement, nullptr);
    }
    if (rc == SQLITE_OK) {
        QString pattern = runId;
        pattern.replace(u"\\"_s, u"\\\\"_s).replace(u"%"_s, u"\\%"_s).replace(u"_"_s, u"\\_"_s);
        const QByteArray like = (u"%, run "_s + pattern + u")%"_s).toUtf8();
        sqlite3_bind_text(statement, 1, like.constData(), int(like.size()), SQLITE_TRANSIENT);
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
            counts.insert(sqlite3_column_int64(statement, 0), sqlite3_column_int64(statement, 1));
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    const QString message = QString::fromUtf8(db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_finalize(statement);
    sqlite3_close_v2(db);
    if (rc != SQLITE_OK)
        return Error { Error::Kind::Io, u"cannot count the rows in %1: %2"_s.arg(m_options.dbPath, message) };
    return counts;
}
