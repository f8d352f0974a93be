// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/clioutcome.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>

#include <memory>

class QProcess;

// RemoteSession: one `cachescope-cli serve ADDRESS` child for a remote cache's window, so the
// reads the window repeats (info, entries, query) go as requests over one ssh session that
// stays open — not a local cachescope-cli, an ssh session, the remote user's shell and a remote
// cachescope-cli started for every page (docs/BENCHMARKS.md, bench_remote). Each request is
// still its own short command there (serve, docs/CLI.md): nothing holds the cache between
// them. While a session is open for an address, CliCall::run sends those commands on that
// address through it; others (watch, maintenance, prune, scan) stay commands of their own. The
// child starts with the first request and again after it ended (a dropped connection fails
// the requests waiting, with its reason). While the child runs, an empty line every
// RemoteCommand::HeartbeatMs tells serve there that its caller is still here (a silent one is
// taken as a connection gone). Closing the session (its destructor) closes the child's stdin,
// so serve ends there; the child is then killed. GUI thread.
class RemoteSession : public QObject {
    Q_OBJECT
public:
    RemoteSession(QString address, QStringList extraArgs, QObject* parent = nullptr);
    ~RemoteSession() override;

    // The open session that runs `args` (as CliCall takes them: COMMAND ADDRESS … EXTRA_ARGS)
    // and the request to send it (COMMAND …), or nullptr.
    static RemoteSession* routeFor(const QStringList& args, QStringList* request);
    // Sends request; done runs on the GUI thread with its answer unless context went first.
    void call(QObject* context, const QStringList& request, std::function<void(const CliOutcome&)> done);
    // The local child (0 when none runs): what tests follow to its remote side.
    qint64 childPid() const;
    int requestsSent() const { return m_sent; }

private:
    struct Waiting {
        QPointer<QObject> context;
        std::function<void(const CliOutcome&)> done;
        QElapsedTimer clock;
    };
    void startChild();
    void readAnswers();
    void childEnded(const QString& reason, int exitCode);

    QString m_address;
    QStringList m_extraArgs;
    std::unique_ptr<QProcess> m_process;
    QTimer m_heartbeat;
    QByteArray m_pending;
    QByteArray m_errors;
    QHash<qint64, Waiting> m_waiting;
    qint64 m_nextId = 1;
    int m_sent = 0;
};
