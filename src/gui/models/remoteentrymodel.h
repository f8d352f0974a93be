// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tasks/latesttask.h"

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QStringList>

// RemoteEntryModel: the entries of a remote cache, page by page through `cachescope-cli
// entries ADDRESS --json --limit N --after CURSOR` (keyset pages, as locally): the first page
// on setSource(), the next one when the view scrolls to the end (fetchMore). Cells are the
// format's own columns, shown escaped and cut like the CLI's text. GUI thread.
class RemoteEntryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int PageRows = 200;
    static constexpr int CellChars = 300;

    explicit RemoteEntryModel(QObject* parent = nullptr);
    // The cache (an address), the extra arguments every call takes (--remote-cli PATH) and a
    // search text (empty: every row). Reads the first page.
    void setSource(const QString& address, const QStringList& extraArgs, const QString& search = {});

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent = {}) const override;
    void fetchMore(const QModelIndex& parent = {}) override;

    QString table() const { return m_table; }
    bool isReading() const { return m_reading; }

Q_SIGNALS:
    void pageRead(int rows, qint64 elapsedMs);
    void failed(const QString& reason);

private:
    void read(const QString& cursor);

    QString m_address;
    QStringList m_extraArgs;
    QString m_search;
    QString m_table;
    QStringList m_columns;
    QJsonArray m_rows;
    QString m_nextCursor;
    bool m_reading = false;
    LatestTask m_source; // a page read for an earlier source is dropped
};
