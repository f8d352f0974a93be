// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/activitysample.h"

#include <QAbstractTableModel>

// ProcessModel: the processes that have the cache's files open, with their role right now
// (CacheScope itself, a writer of the last 10 s, the write lock's holder, a reader, the one pinning the
// checkpoint), from the latest ActivitySample that carried the
// process list. Rows are replaced between beginResetModel/endResetModel. GUI thread.
class ProcessModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { Pid, Name, Role, Files, CommandLine, Count };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ProcessModel(QObject* parent = nullptr);

    // Keeps the last process list when the sample carries none; roles always follow the sample.
    void update(const ActivitySample& sample);
    void clear();
    qint64 pidAt(int row) const;
    int rowOf(qint64 pid) const;
    QString roleOf(qint64 pid) const;
    // The command line as a row shows it: the program's file name, then its arguments (the whole
    // line is the tooltip).
    static QString shortCommandLine(const QString& cmdline);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The tooltip of a column's header: what the column says, in plain words.
    static QString headerToolTip(Column column);

private:
    QList<ActivitySample::Process> m_processes;
    qint64 m_writerPid = 0;
    qint64 m_pinningPid = 0;
    QList<qint64> m_readerPids;
    QList<qint64> m_recentWriterPids;
};
