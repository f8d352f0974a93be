// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/activitysample.h"
#include "tasks/latesttask.h"

#include <QObject>
#include <QProcess>

#include <memory>

// ActivityFeed: runs `cachescope-cli watch DB --json --interval-ms N --processes K` as a child
// process and turns each stdout line into an ActivitySample. The probing (-shm header, -wal
// frames, /proc/locks, the /proc/*/fd scan) happens in that child: the GUI process holds an
// SQLite connection to the cache and must never open and close fds on its files (closing one
// drops the connection's POSIX locks, docs/WAL.md §4.1), and the GUI thread only parses
// short lines as they arrive (never waits). Each start() is a LatestTask of its own, so lines
// from a previous child are dropped. Lives on the GUI thread.
class ActivityFeed : public QObject {
    Q_OBJECT
public:
    explicit ActivityFeed(QObject* parent = nullptr);
    ~ActivityFeed() override;

    // $CACHESCOPE_CLI, else cachescope-cli next to this executable, else from PATH.
    static QString defaultProgram();
    void setProgram(const QString& program) { m_program = program; }
    // "fanotify", "sampled", or empty for watch's choice (fanotify where permitted); from the next start().
    void setAttribution(const QString& method) { m_attribution = method; }
    QString program() const { return m_program; }
    // Arguments added to every watch from the next start(), e.g. --remote-cli PATH for a remote cache.
    void setExtraArguments(const QStringList& args) { m_extraArguments = args; }
    QStringList extraArguments() const { return m_extraArguments; }

    void start(const QString& dbPath, int intervalMs = 100, int processesEvery = 10);
    void stop();
    bool isRunning() const;
    qint64 childPid() const;
    QStringList arguments() const { return m_arguments; }

Q_SIGNALS:
    void sampleReceived(const ActivitySample& sample);
    // The child could not start or ended with an error; reason is shown inline.
    void failed(const QString& reason);

private:
    void readLines(const CancelToken& run);
    void finished(const CancelToken& run, int exitCode, QProcess::ExitStatus status);

    QString m_program;
    QString m_attribution;
    QStringList m_arguments;
    QStringList m_extraArguments;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_pending;
    LatestTask m_run; // the child whose lines are read
};
