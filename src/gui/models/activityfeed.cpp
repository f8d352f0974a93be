// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/activityfeed.h"

#include "remote/cacheaddress.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QTimer>

#include <csignal>
#include <sys/prctl.h>

using namespace Qt::Literals::StringLiterals;

ActivityFeed::ActivityFeed(QObject* parent)
    : QObject(parent)
    , m_program(defaultProgram())
{
}

ActivityFeed::~ActivityFeed()
{
    stop();
    // Children killed by stop() and not reaped yet: killed with SIGKILL, they end at once; reaped
    // here, QProcess would do the same but print "Destroyed while process … is still running"
    // (at every window close, and on the terminal of a user who pressed Ctrl-C).
    for (QProcess* ending : findChildren<QProcess*>(Qt::FindDirectChildrenOnly)) {
        ending->waitForFinished(2000);
    }
}

QString ActivityFeed::defaultProgram()
{
    const QString fromEnvironment = qEnvironmentVariable("CACHESCOPE_CLI");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString sibling = QCoreApplication::applicationDirPath() + u"/cachescope-cli"_s;
    return QFileInfo(sibling).isExecutable() ? sibling : u"cachescope-cli"_s;
}

void ActivityFeed::start(const QString& dbPath, int intervalMs, int processesEvery)
{
    stop();
    const CancelToken run = m_run.start();
    m_arguments = { u"watch"_s, dbPath, u"--json"_s, u"--interval-ms"_s, QString::number(intervalMs) };
    if (processesEvery > 0)
        m_arguments << u"--processes"_s << QString::number(processesEvery);
    // The GUI and its children (this watch, a simulator it runs is named by fanotify if it writes)
    // are never named by the sampled method: the GUI reads, and writes its own logs. A pid here
    // means another process where a remote cache lives: nothing is left out there.
    if (!CacheAddress::isRemoteText(dbPath))
        m_arguments << u"--exclude-pid"_s << QString::number(QCoreApplication::applicationPid());
    if (!m_attribution.isEmpty())
        m_arguments << u"--attribution"_s << m_attribution;
    m_arguments += m_extraArguments;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    // The watcher dies with the GUI even when the GUI is killed (it holds nothing, only reads).
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    connect(m_process.get(), &QProcess::readyReadStandardOutput, this, [this, run] { readLines(run); });
    connect(m_process.get(), &QProcess::finished, this,
        [this, run](int code, QProcess::ExitStatus status) { finished(run, code, status); });
    connect(m_process.get(), &QProcess::errorOccurred, this, [this, run](QProcess::ProcessError error) {
        if (m_run.isCurrent(run) && error == QProcess::FailedToStart)
            Q_EMIT failed(tr("Could not start %1 to watch the cache: %2").arg(m_program, m_process->errorString()));
    });
    m_process->start(m_program, m_arguments);
}

void ActivityFeed::stop()
{
    m_run.drop();
    m_pending.clear();
    if (!m_process)
        return;
    m_process->disconnect(this);
    if (m_process->state() == QProcess::NotRunning) {
        m_process.reset();
        return;
    }
    // The child holds nothing (it only reads): killed, and reaped once it has ended, without the
    // GUI thread waiting for its exit (bench_gui_stall: tens of ms on a loaded machine). One
    // still ending when the feed goes is waited for then, by QProcess.
    QProcess* ending = m_process.release();
    ending->setParent(this);
    connect(ending, &QProcess::finished, ending, &QObject::deleteLater);
    ending->kill();
}

bool ActivityFeed::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 ActivityFeed::childPid() const
{
    return m_process ? m_process->processId() : 0;
}

void ActivityFeed::readLines(const CancelToken& run)
{
    if (!m_run.isCurrent(run) || !m_process)
        return;
    m_pending += m_process->readAllStandardOutput();
    const qsizetype newline = m_pending.indexOf('\n');
    if (newline < 0)
        return;
    const QByteArray line = m_pending.left(newline);
    m_pending.remove(0, newline + 1);
    // One sample per event: lines that arrived together (the window was busy, or the watcher
    // caught up) are shown one after another, each drawing a frame of its own, not all in one
    // delivery that holds the GUI thread for their sum (bench_gui_stall).
    if (m_pending.contains('\n'))
        QTimer::singleShot(0, this, [this, run] { readLines(run); });
    if (auto sample = WatchLine::fromJson(line)) {
        sample->readAtMs = QDateTime::currentMSecsSinceEpoch(); // one time for every panel that shows it
        // A pid there is another host's: only a local watch (given this pid to leave out) can see this window.
        sample->writerIsThisProcess = sample->writer && sample->writer->pid == QCoreApplication::applicationPid()
            && m_arguments.contains(u"--exclude-pid"_s);
        Q_EMIT sampleReceived(*sample);
    }
}

void ActivityFeed::finished(const CancelToken& run, int exitCode, QProcess::ExitStatus status)
{
    if (!m_run.isCurrent(run))
        return;
    const QString err = QString::fromUtf8(m_process->readAllStandardError()).trimmed();
    if (status != QProcess::NormalExit || exitCode != 0)
        Q_EMIT failed(err.isEmpty() ? tr("The watcher stopped (exit code %1).").arg(exitCode) : err);
}
