// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QObject>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>

// DemoSession: what `cachescope --demo` runs behind the window. It creates an LLM cache in a
// fresh temporary directory (PrivateDirs' <tmp>/cachescope-demo-<gui pid>.<its start>-XXXXXX) and starts
// `cachescope-cli simulate` on it as a child process: 4 worker processes at a modest rate for
// as long as the session lives. stop() ends the simulator (SIGTERM, then SIGKILL) and removes
// the directory. If the GUI is killed, the simulator dies with it (PR_SET_PDEATHSIG set in
// the child, and its workers die with it the same way); the directory it leaves behind is
// removed by PrivateDirs::sweepStale the next time CacheScope starts (the GUI, a demo, a CLI
// command that reads a cache): only a folder of this user, not a symlink, named for a GUI that
// no longer runs, holding only the demo's cache files. GUI thread.
class DemoSession : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString cliPath; // cachescope-cli; default: ActivityFeed::defaultProgram() (CACHESCOPE_CLI, else beside this
                         // executable)
        int workers = 4;
        double ratePerWorker = 3;
        int payloadBytes = 2000;
    };

    explicit DemoSession(QObject* parent = nullptr);
    ~DemoSession() override;

    Status start(const Options& options);
    Status start() { return start(Options {}); }
    // Stops the simulator and waits for it, then removes the temporary directory. Close every
    // connection to the cache first.
    void stop();
    // Stops the simulator and waits for it; the cache and its directory stay until stop() (File ▸
    // Stop the Demo's Writers: what a cache nobody writes looks like, and one that can be deleted).
    void stopWriters();

    QString databasePath() const;
    QString directory() const;
    qint64 simulatorPid() const;
    bool isRunning() const;

    static QString directoryPrefix(); // "cachescope-demo-"

Q_SIGNALS:
    // The simulator ended on its own (not through stop()): with its exit code and stderr.
    void simulatorEnded(int exitCode, const QString& errorOutput);

private:
    void onFinished(int exitCode, QProcess::ExitStatus status);

    std::unique_ptr<QTemporaryDir> m_directory;
    std::unique_ptr<QProcess> m_simulator;
    bool m_stopping = false;
};
