// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/processmodel.h"

#include "os/cacheholders.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

ProcessModel::ProcessModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ProcessModel::update(const ActivitySample& sample)
{
    beginResetModel();
    if (sample.processes)
        m_processes = *sample.processes;
    m_writerPid = sample.writer ? sample.writer->pid : 0;
    const auto* pinning = sample.pinningReader();
    m_pinningPid = pinning ? pinning->pid : 0;
    m_readerPids.clear();
    for (const auto& reader : sample.readers)
        m_readerPids.append(reader.pid);
    m_recentWriterPids.clear();
    for (const auto& writer : sample.recentWriters) // as "Wrote lately" names them
        m_recentWriterPids.append(writer.pid);
    endResetModel();
}

void ProcessModel::clear()
{
    beginResetModel();
    m_processes.clear();
    m_writerPid = m_pinningPid = 0;
    m_readerPids.clear();
    m_recentWriterPids.clear();
    endResetModel();
}

qint64 ProcessModel::pidAt(int row) const
{
    return row >= 0 && row < m_processes.size() ? m_processes.at(row).pid : 0;
}

int ProcessModel::rowOf(qint64 pid) const
{
    for (int row = 0; row < m_processes.size(); ++row) {
        if (m_processes.at(row).pid == pid)
            return row;
    }
    return -1;
}

QString ProcessModel::roleOf(qint64 pid) const
{
    QStringList roles;
    if (pid == QCoreApplication::applicationPid())
        roles << tr("CacheScope (this window)");
    if (pid == m_writerPid && pid != 0)
        roles << tr("holds write lock");
    else if (m_recentWriterPids.contains(pid))
        roles << tr("writer");
    if (pid == m_pinningPid && pid != 0)
        roles << tr("pins the checkpoint"); // as the readers' table says
    else if (m_readerPids.contains(pid) && pid != m_writerPid)
        roles << tr("reader");
    return roles.isEmpty() ? tr("has it open") : roles.join(u", "_s);
}

QString ProcessModel::shortCommandLine(const QString& cmdline)
{
    const QString line = cmdline.simplified();
    const qsizetype space = line.indexOf(u' ');
    const QString program = line.left(space < 0 ? line.size() : space);
    return program.mid(program.lastIndexOf(u'/') + 1) + (space < 0 ? QString() : line.mid(space));
}

int ProcessModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_processes.size());
}

int ProcessModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant ProcessModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& process = m_processes.at(index.row());
    const auto column = Column(index.column());
    if (role == SortRole && column == Column::Pid)
        return process.pid;
    if (role == Qt::BackgroundRole && process.pid == m_pinningPid && m_pinningPid != 0)
        return QBrush(QColor(0xff, 0xe0, 0xb2));
    if (role == Qt::ToolTipRole && column == Column::CommandLine)
        return process.cmdline;
    if (role == Qt::ToolTipRole && column == Column::Role)
        return tr(
            "writer: wrote the cache in the last 10 s; holds write lock: is writing now; reader: holds a "
            "snapshot of the -wal; pins the checkpoint: the oldest snapshot, where checkpoints stop; has it open: "
            "a connection doing nothing now; CacheScope (this window): this program's own connection.");
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (column) {
    case Column::Pid:
        return process.pid;
    case Column::Name:
        return process.name;
    case Column::Role:
        return roleOf(process.pid);
    case Column::Files:
        return CacheHolders::filesText(process.files); // as the Delete dialog names them
    case Column::CommandLine:
        return role == SortRole ? process.cmdline.simplified() : shortCommandLine(process.cmdline);
    case Column::Count:
        break;
    }
    return {};
}

// What each column of the process table says, for its header's tooltip (#28 review: every header explained).
QString ProcessModel::headerToolTip(Column column)
{
    switch (column) {
    case Column::Pid:
        return tr("The process id");
    case Column::Name:
        return tr("The program's name");
    case Column::Role:
        return tr("What it does with the cache now: the writer holds the write lock, a reader holds a read "
                  "snapshot; this CacheScope is this window's own connection");
    case Column::Files:
        return tr("Which of the cache's files it has open: the database, its -wal and -shm files, a rollback "
                  "-journal, a value file; \"(locked)\": it holds a lock on it");
    case Column::CommandLine:
        return tr("The command that started it");
    case Column::Count:
        break;
    }
    return QString();
}

QVariant ProcessModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= int(Column::Count))
        return {};
    if (role == Qt::ToolTipRole)
        return headerToolTip(Column(section));
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Pid:
        return tr("PID");
    case Column::Name:
        return tr("Process");
    case Column::Role:
        return tr("Role");
    case Column::Files:
        return tr("Files open");
    case Column::CommandLine:
        return tr("Command line");
    case Column::Count:
        break;
    }
    return {};
}
