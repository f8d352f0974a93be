// SPDX-License-Identifier: GPL-3.0-or-later
// `serve DB`: one cache's session for a caller that asks it many things — the GUI's window on a
// remote cache, which would otherwise start ssh's session, the remote shell and a cachescope-cli
// for every page (docs/BENCHMARKS.md, bench_remote). Reads requests from stdin, one a line
// (SessionFrame), and runs each as `cachescope-cli COMMAND DB ARGS…` would run — in a child
// forked from this process, so every request opens its own short connection and ends with it:
// nothing here holds a connection, a lock or a read transaction between requests, and this
// process never opens the cache. Up to MaxRunning at once, answered as each finishes. Ends at
// the end of stdin (its caller gone: over ssh, the local side ended or the connection dropped),
// when run for a remote caller after RemoteCommand::CallerSilenceMs without a byte on stdin (its
// connection gone without closing; an idle caller sends empty lines as heartbeats), or on
// SIGINT/SIGTERM: the commands still running are stopped as SIGTERM stops them, and no child
// outlives this process (PR_SET_PDEATHSIG).
#include "command.h"
#include "common/privatedirs.h"
#include "fddrain.h"
#include "remote/remotecommand.h"
#include "remote/sessionframe.h"
#include "stopsignals.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr size_t MaxRunning = 4;

// The commands a session runs: the reads a window repeats. The others (watch's stream,
// maintenance with its progress and Ctrl-C) are commands of their own.
bool served(const QString& name)
{
    return name == u"info"_s || name == u"entries"_s || name == u"query"_s;
}

struct Running {
    qint64 id = 0;
    pid_t pid = -1;
    int out = -1;
    int err = -1;
    QByteArray outBytes;
    QByteArray errBytes;
    bool stopped = false;
};

void closeFd(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

bool writeAll(int fd, const QByteArray& bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            pollfd wait { fd, POLLOUT, 0 };
            ::poll(&wait, 1, 1000);
            continue;
        }
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

// In the forked child: the command as `cachescope-cli NAME DB ARGS…` runs it; never returns.
[[noreturn]] void runChild(pid_t parent, int out, int err, const QString& db, const QStringList& request)
{
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent)
        ::_exit(1);
    for (const int stop : { SIGINT, SIGTERM, SIGHUP, SIGPIPE })
        std::signal(stop, SIG_DFL);
    PrivateDirs::removeOnFatalSignals();
    const int nothing = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nothing < 0 || ::dup2(nothing, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0
        || ::dup2(err, STDERR_FILENO) < 0)
        ::_exit(1);
    QStringList args { db };
    args += request.mid(1);
    int code = Cli::Usage;
    for (const auto& command : Cli::commands()) {
        if (command.name == request.first())
            code = command.run(args);
    }
    std::fflush(stdout);
    std::fflush(stderr);
    ::_exit(code);
}

class Session {
public:
    // silenceMs > 0: a caller that writes nothing for that long is gone.
    Session(QString db, int silenceMs)
        : m_db(std::move(db))
        , m_silenceMs(silenceMs)
    {
    }

    int run()
    {
        StopSignals::install();
        m_heard.start();
        for (;;) {
            if (m_silenceMs > 0 && m_heard.hasExpired(m_silenceMs))
                m_inputOpen = false; // not even a heartbeat: its connection is gone without having closed
            const bool stopping = StopSignals::requested().load() || !m_inputOpen || m_outputGone;
            if (stopping)
                stopAll();
            while (!stopping && m_running.size() < MaxRunning && !m_queued.isEmpty())
                start(m_queued.takeFirst());
            if (stopping && m_running.empty())
                return m_status;
            std::vector<pollfd> fds;
            if (!stopping)
                fds.push_back({ STDIN_FILENO, POLLIN, 0 });
            for (const Running& child : m_running) {
                fds.push_back({ child.out, POLLIN, 0 });
                fds.push_back({ child.err, POLLIN, 0 });
            }
            if (::poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR)
                return Cli::fail({ Error::Kind::Io, u"serve: poll: %1"_s.arg(errno) });
            if (!stopping && (fds.front().revents & (POLLIN | POLLHUP | POLLERR)) != 0)
                readRequests();
            for (size_t i = 0; i < m_running.size();) {
                Running& child = m_running[i];
                if (child.out >= 0 && !FdDrain::drain(child.out, child.outBytes))
                    closeFd(child.out);
                if (child.err >= 0 && !FdDrain::drain(child.err, child.errBytes))
                    closeFd(child.err);
                if (child.out < 0 && child.err < 0) {
                    finish(child);
                    m_running.erase(m_running.begin() + qsizetype(i));
                } else {
                    ++i;
                }
            }
        }
    }

private:
    void readRequests()
    {
        // One read, when poll said there is something: stdin may be shared, so it stays blocking.
        char buffer[65536];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n > 0) {
            m_input.append(buffer, n);
            m_heard.restart();
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN))
            m_inputOpen = false; // the caller is gone: what it asked last is not answered
        qsizetype newline;
        while ((newline = m_input.indexOf('\n')) >= 0) {
            const QByteArray line = m_input.left(newline);
            m_input.remove(0, newline + 1);
            if (line.trimmed().isEmpty())
                continue;
            auto request = SessionFrame::fromRequest(line);
            if (!request) {
                m_status = Cli::usageError(u"serve: "_s + request.error().message);
                m_outputGone = true; // not a caller that speaks this: end the session
                return;
            }
            const QString name = request->args.first();
            QString refusal;
            if (!served(name))
                refusal = u"serve runs info, entries and query; run \"%1\" as its own command"_s.arg(name.left(40));
            for (const QString& arg : std::as_const(request->args)) {
                if (arg.startsWith(u'-') && arg.contains(u"caller-version"_s))
                    refusal = u"serve was started for its caller; a request takes no --caller-version"_s;
            }
            if (!refusal.isEmpty())
                answer(request->id, Cli::Usage, {}, u"cachescope-cli: %1\n"_s.arg(refusal).toUtf8());
            else
                m_queued.append(std::move(request.value()));
        }
        if (m_input.size() > SessionFrame::MaxRequestBytes) {
            m_status = Cli::usageError(u"serve: a request longer than %1 bytes"_s.arg(SessionFrame::MaxRequestBytes));
            m_outputGone = true;
        }
    }

    void start(const SessionFrame& request)
    {
        int out[2], err[2];
        if (::pipe2(out, O_CLOEXEC) != 0)
            return answer(request.id, Cli::Failure, {}, "cachescope-cli: serve: no pipe for the command\n");
        if (::pipe2(err, O_CLOEXEC) != 0) {
            ::close(out[0]);
            ::close(out[1]);
            return answer(request.id, Cli::Failure, {}, "cachescope-cli: serve: no pipe for the command\n");
        }
        std::fflush(stdout);
        std::fflush(stderr);
        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid == 0)
            runChild(parent, out[1], err[1], m_db, request.args);
        ::close(out[1]);
        ::close(err[1]);
        if (pid < 0) {
            ::close(out[0]);
            ::close(err[0]);
            return answer(request.id, Cli::Failure, {}, "cachescope-cli: serve: cannot start the command\n");
        }
        for (const int fd : { out[0], err[0] })
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        m_running.push_back({ request.id, pid, out[0], err[0], {}, {}, false });
    }

    void finish(Running& child)
    {
        int status = 0;
        while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) { }
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (!m_outputGone && m_inputOpen && !StopSignals::requested().load())
            answer(child.id, code, child.outBytes, child.errBytes);
    }

    void answer(qint64 id, int code, const QByteArray& out, const QByteArray& err)
    {
        if (!m_outputGone && !writeAll(STDOUT_FILENO, SessionFrame::answer(id, code, out, err)))
            m_outputGone = true;
    }

    void stopAll()
    {
        m_queued.clear();
        for (Running& child : m_running) {
            if (!std::exchange(child.stopped, true))
                ::kill(child.pid, SIGTERM);
        }
    }

    QString m_db;
    int m_silenceMs = 0;
    QElapsedTimer m_heard; // since the caller last wrote
    QByteArray m_input;
    QList<SessionFrame> m_queued;
    std::vector<Running> m_running;
    bool m_inputOpen = true;
    bool m_outputGone = false;
    int m_status = Cli::Ok;
};

Cli::RegisterCommand reg(
    { u"serve"_s, u"answer requests for one cache on stdin, one line each (for the GUI's remote windows)"_s,
        [](const QStringList& args) -> int {
            QCommandLineParser parser;
            parser.setApplicationDescription(
                u"Reads requests from stdin, one JSON line each ({\"id\": N, \"args\": [\"entries\", \"--json\", …]}), "
                "runs each (info, entries or query) on DB as that command runs, and answers each with a header line "
                "({\"id\", \"exit_code\", \"stdout_bytes\", \"stderr_bytes\"}) and the command's output. Nothing is "
                "held between requests. Ends at the end of stdin. See docs/CLI.md."_s);
            Cli::addCommonOptions(parser);
            parser.addPositionalArgument(u"DB"_s, u"The cache every request is about."_s);
            if (int code = Cli::parse(parser, u"serve"_s, args, 1); code >= 0)
                return code;
            const QString db = parser.positionalArguments().first();
            if (int code = Cli::refuseSpecialFile(db); code >= 0)
                return code;
            if (!QFileInfo::exists(db))
                return Cli::fail({ Error::Kind::NotFound, u"no such file: %1"_s.arg(db) });
            // Run for a remote caller: its silence is its end (a local caller's stdin is a pipe that closes).
            const bool remoteCaller = parser.isSet(u"caller-version"_s);
            return Session(db, remoteCaller ? RemoteCommand::CallerSilenceMs : 0).run();
        } });
} // namespace
