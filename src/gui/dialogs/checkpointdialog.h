// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dialogs/writerwarnings.h"
#include "maintenance/checkpoint.h"
#include "models/activitysample.h"

#include <QDialog>

#include <QStringList>

#include <memory>
#include <optional>

class QPushButton;
namespace Ui {
class CheckpointDialog;
}

// CheckpointDialog: picks a checkpoint mode and its bounded busy timeout, says before running
// that FULL/RESTART/TRUNCATE stall writers (and warns about the WAL-reset bug while writers
// are active), runs Checkpoint on a worker thread through its own connection and shows the
// result, naming what blocked an incomplete checkpoint. While other processes write, it says so
// before running, from the Activity tab's latest sample (applySample: the live data the Overview
// shows; the dialog reads nothing of the cache for it), and the WAL-reset warning names the same
// writers (WriterWarnings). Given a FanoutCache folder it
// checkpoints every shard and then every named sub-cache, each result labelled. GUI thread.
class CheckpointDialog : public QDialog {
    Q_OBJECT
public:
    // dbPath: a database, or a cache folder (diskcache; FanoutCache: every shard and sub-cache).
    explicit CheckpointDialog(const QString& dbPath, QWidget* parent = nullptr);
    ~CheckpointDialog() override;

    // For a cache on another host or in a container (dbPath its address): the checkpoint runs
    // there, `checkpoint ADDRESS --mode M --timeout-ms N --json` through the local cachescope-cli
    // (CliCall) with extraArgs (--remote-cli …), read back by Checkpoint::Outcome::fromJson;
    // its blockers are named as they are there.
    void runThere(const QStringList& extraArgs);
    void setMode(Checkpoint::Mode mode);
    void start();
    bool isRunning() const { return m_running; }
    bool hasCheckedBefore() const { return m_checkedBefore; } // the warnings read on opening are shown
    QString resultText() const;
    QString modeHelpText() const;
    QString warningText() const;
    // The latest sample of the cache's watch (the Activity tab's): who wrote in its last 10 s.
    void applySample(const ActivitySample& sample);
    QString writersText() const; // empty when nobody else writes
    // The outcome in a sentence: "The TRUNCATE checkpoint is complete: the -wal went from 4.0 MiB
    // to 0 B: every frame copied back."
    static QString inWords(const Checkpoint::Outcome& outcome);

Q_SIGNALS:
    void finished(bool complete);

private:
    void updateModeHelp();
    void showWarnings(const HealthWarnings& warnings);
    void showWriterWarnings();
    struct Outcomes { // every database's, in words
        QStringList texts;
        HealthWarnings warnings;
        bool failed = false;
        bool incomplete = false;
    };
    void showOutcome(const Outcomes& outcomes);

    std::unique_ptr<Ui::CheckpointDialog> m_ui;
    QString m_dbPath;
    QPushButton* m_runButton = nullptr;
    bool m_running = false;
    bool m_checkedBefore = false;
    std::optional<QStringList> m_there; // runThere's extra arguments
    WriterWarnings m_warnings;
};
