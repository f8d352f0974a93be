// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/clicall.h"

#include "models/activityfeed.h"
#include "models/remotesession.h"

#include <QElapsedTimer>
#include <QProcess>

#include <csignal>
#include <memory>
#include <sys/prctl.h>

namespace {
// The child of a call: when its context goes first (a window closed mid-call), it is killed
// without telling anyone — ~QProcess would emit finished() into the half-destroyed context.
class CallProcess : public QProcess {
public:
    using QProcess::QProcess;
    ~CallProcess() override
    {
        disconnect();
        if (state() != QProcess::NotRunning) {
            kill();
            waitForFinished(2000);
        }
    }
};
} // namespace

QProcess* CliCall::run(QObject* context, const QStringList& args, std::function<void(const Outcome&)> done)
{
    QStringList request;
    if (RemoteSession* session = RemoteSession::routeFor(args, &request)) {
        session->call(context, request, std::move(done));
        return nullptr;
    }
    auto* process = new CallProcess(context);
    auto clock = std::make_shared<QElapsedTimer>();
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    QObject::connect(
        process, &QProcess::finished, context, [process, clock, done](int code, QProcess::ExitStatus status) {
            Outcome outcome;
            outcome.started = true;
            outcome.exitCode = status == QProcess::NormalExit ? code : -1;
            outcome.out = process->readAllStandardOutput();
            outcome.error = QString::fromUtf8(process->readAllStandardError()).trimmed();
            outcome.elapsedMs = clock->elapsed();
            process->deleteLater();
            done(outcome);
        });
    QObject::connect(process, &QProcess::errorOccurred, context, [process, done](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        Outcome outcome;
        outcome.error = QObject::tr("Could not start %1: %2").arg(process->program(), process->errorString());
        process->deleteLater();
        done(outcome);
    });
    clock->start();
    process->start(ActivityFeed::defaultProgram(), args);
    return process;
}
