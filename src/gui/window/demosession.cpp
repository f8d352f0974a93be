// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/demosession.h"

#include "models/activityfeed.h"

#include "common/privatedirs.h"
#include "simulation/simulator.h"

#include <QCoreApplication>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
QStringList simulatorArguments(const DemoSession::Options& options, const QString& db)
{
    return { u"simulate"_s, u"--workers"_s, QString::number(options.workers), u"--duration-s"_s,
        u"0"_s, // until stopped
        u"--rate-per-worker"_s, QString::number(options.ratePerWorker), u"--payload-bytes"_s,
        QString::number(options.payloadBytes), u"--json"_s, db };
}
} // namespace

DemoSession::DemoSession(QObject* parent)
    : QObject(parent)
{
}

DemoSession::~DemoSession()
{
    stop();
}

QString DemoSession::directoryPrefix()
{
    return u"cachescope-demo-"_s;
}

Status DemoSession::start(const Options& options)
{
    stop();
    PrivateDirs::sweepStale(); // demo folders (and private copies) of GUIs that no longer run
    auto directory = std::make_unique<QTemporaryDir>(PrivateDirs::templateFor(u"demo"_s));
    if (!directory->isValid())
        return Error { Error::Kind::Io, tr("cannot create a demo directory: %1").arg(directory->errorString()) };
    Simulator::Options simulation;
    simulation.dbPath = directory->filePath(u"llm-cache.db"_s);
    // The cache and its table exist before the window opens it; no connection stays open here.
    if (Status prepared = Simulator(simulation).prepare(); !prepared)
        return prepared;
    // The same cachescope-cli as the Activity tab's probe (CACHESCOPE_CLI, else the one beside us).
    const QString cli = options.cliPath.isEmpty() ? ActivityFeed::defaultProgram() : options.cliPath;
    auto simulator = std::make_unique<QProcess>();
    const pid_t gui = ::getpid();
    simulator->setChildProcessModifier([gui] {
        // Runs in the child between fork and exec: die with the GUI, even if it is killed.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != gui)
            ::_exit(1);
    });
    connect(simulator.get(), &QProcess::finished, this, &DemoSession::onFinished);
    simulator->start(cli, simulatorArguments(options, simulation.dbPath));
    if (!simulator->waitForStarted(10000))
        return Error { Error::Kind::Io, tr("cannot start the simulator %1: %2").arg(cli, simulator->errorString()) };
    m_directory = std::move(directory);
    m_simulator = std::move(simulator);
    return {};
}

void DemoSession::stop()
{
    stopWriters();
    m_directory.reset(); // QTemporaryDir removes the directory and the cache in it
}

void DemoSession::stopWriters()
{
    if (m_simulator) {
        m_stopping = true;
        if (m_simulator->state() != QProcess::NotRunning) {
            m_simulator->terminate(); // SIGTERM: the simulator stops its workers and reports
            if (!m_simulator->waitForFinished(15000)) {
                m_simulator->kill();
                m_simulator->waitForFinished(5000);
            }
        }
        m_simulator.reset();
        m_stopping = false;
    }
}

void DemoSession::onFinished(int exitCode, QProcess::ExitStatus)
{
    if (!m_stopping && m_simulator)
        Q_EMIT simulatorEnded(exitCode, QString::fromLocal8Bit(m_simulator->readAllStandardError()));
}

QString DemoSession::databasePath() const
{
    return m_directory ? m_directory->filePath(u"llm-cache.db"_s) : QString();
}

QString DemoSession::directory() const
{
    return m_directory ? m_directory->path() : QString();
}

qint64 DemoSession::simulatorPid() const
{
    return m_simulator ? m_simulator->processId() : 0;
}

bool DemoSession::isRunning() const
{
    return m_simulator && m_simulator->state() == QProcess::Running;
}
