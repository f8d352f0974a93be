// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/remotesession.h"

#include "models/activityfeed.h"
#include "remote/remotecommand.h"
#include "remote/sessionframe.h"

#include <QProcess>

#include <csignal>
#include <sys/prctl.h>

using namespace Qt::Literals::StringLiterals;

namespace {
QList<RemoteSession*>& openSessions()
{
    static QList<RemoteSession*> sessions;
    return sessions;
}

bool served(const QString& command)
{
    return command == u"info"_s || command == u"entries"_s || command == u"query"_s;
}
} // namespace

RemoteSession::RemoteSession(QString address, QStringList extraArgs, QObject* parent)
    : QObject(parent)
    , m_address(std::move(address))
    , m_extraArgs(std::move(extraArgs))
{
    openSessions().append(this);
    m_heartbeat.setInterval(RemoteCommand::HeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        if (m_process && m_process->state() == QProcess::Running)
            m_process->write("\n");
    });
}

RemoteSession::~RemoteSession()
{
    openSessions().removeAll(this);
    m_heartbeat.stop();
    if (m_process) {
        m_process->disconnect(this);
        m_process->closeWriteChannel(); // serve's stdin ends there (its caller is gone)
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

RemoteSession* RemoteSession::routeFor(const QStringList& args, QStringList* request)
{
    if (args.size() < 2 || !served(args.first()))
        return nullptr;
    for (RemoteSession* session : std::as_const(openSessions())) {
        const qsizetype extra = session->m_extraArgs.size();
        if (args.at(1) != session->m_address || args.size() < 2 + extra
            || args.mid(args.size() - extra) != session->m_extraArgs)
            continue;
        *request = QStringList { args.first() } + args.mid(2, args.size() - 2 - extra);
        return session;
    }
    return nullptr;
}

qint64 RemoteSession::childPid() const
{
    return m_process && m_process->state() != QProcess::NotRunning ? m_process->processId() : 0;
}

void RemoteSession::startChild()
{
    m_process = std::make_unique<QProcess>();
    m_pending.clear();
    m_errors.clear();
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    QProcess* process = m_process.get();
    connect(process, &QProcess::readyReadStandardOutput, this, &RemoteSession::readAnswers);
    connect(process, &QProcess::readyReadStandardError, this, [this, process] {
        m_errors += process->readAllStandardError();
        if (m_errors.size() > 64 * 1024)
            m_errors = m_errors.right(64 * 1024);
    });
    connect(process, &QProcess::finished, this, [this, process](int code, QProcess::ExitStatus status) {
        m_errors += process->readAllStandardError();
        childEnded(QString::fromUtf8(m_errors).trimmed(), status == QProcess::NormalExit ? code : -1);
    });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            childEnded(tr("Could not start %1: %2").arg(process->program(), process->errorString()), -1);
    });
    process->start(ActivityFeed::defaultProgram(), QStringList { u"serve"_s, m_address } + m_extraArgs);
    m_heartbeat.start();
}

void RemoteSession::call(QObject* context, const QStringList& request, std::function<void(const CliOutcome&)> done)
{
    if (!m_process)
        startChild();
    const qint64 id = m_nextId++;
    Waiting waiting { context, std::move(done), {} };
    waiting.clock.start();
    m_waiting.insert(id, std::move(waiting));
    ++m_sent;
    m_process->write(SessionFrame::request(id, request));
}

void RemoteSession::readAnswers()
{
    if (!m_process)
        return;
    m_pending += m_process->readAllStandardOutput();
    while (auto answer = SessionFrame::takeAnswer(m_pending)) {
        if (!*answer) {
            const QString reason
                = tr("cachescope-cli serve answered what is not an answer: %1").arg(answer->error().message);
            m_process->disconnect(this);
            m_process->kill();
            m_process->waitForFinished(2000);
            childEnded(reason, -1);
            return;
        }
        const Waiting waiting = m_waiting.take((*answer)->id);
        if (!waiting.done || !waiting.context)
            continue;
        CliOutcome outcome;
        outcome.started = true;
        outcome.exitCode = (*answer)->exitCode;
        outcome.out = (*answer)->out;
        outcome.error = QString::fromUtf8((*answer)->err).trimmed();
        outcome.elapsedMs = waiting.clock.elapsed();
        waiting.done(outcome);
    }
}

void RemoteSession::childEnded(const QString& reason, int exitCode)
{
    if (m_process) {
        m_process->disconnect(this);
        m_process.release()->deleteLater(); // this may run inside its own signal
    }
    const QHash<qint64, Waiting> waiting = std::exchange(m_waiting, {});
    for (const Waiting& call : waiting) {
        if (!call.done || !call.context)
            continue;
        CliOutcome outcome;
        outcome.started = exitCode >= 0;
        outcome.exitCode = exitCode == 0 ? 255 : exitCode; // no answer came: never ok()
        outcome.error
            = reason.isEmpty() ? tr("the session with the cache's host ended (exit code %1)").arg(exitCode) : reason;
        outcome.elapsedMs = call.clock.elapsed();
        call.done(outcome);
    }
}
