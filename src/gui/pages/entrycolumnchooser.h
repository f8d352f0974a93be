// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QMenu;
class QTableView;

// EntryColumnChooser: which of the Entries table's columns are shown. The columns a format's users rarely need
// (CacheFormat::rarelyShownColumns: diskcache's storage, mode, tag, …) are hidden by default, so the others fit the
// default window without scrolling sideways; the header's context menu "Show column ▸ name" (checkable) shows or
// hides any of them, and the choice is kept per cache format in QSettings ("entries/hiddenColumns/<format>"). The
// entry detail shows every column whatever is hidden. Owned by the view (of()). GUI thread.
class EntryColumnChooser : public QObject {
    Q_OBJECT
public:
    static EntryColumnChooser* of(QTableView* view);
    // The view shows a table of `format` now: its columns hidden as last chosen for that format, else as the format
    // says (rarelyShown).
    void apply(const QString& format, const QStringList& rarelyShown);
    QStringList hiddenColumns() const;
    static QString settingsKey(const QString& format) { return QStringLiteral("entries/hiddenColumns/") + format; }

Q_SIGNALS:
    void columnsChanged(); // a column was shown or hidden from the menu

private:
    explicit EntryColumnChooser(QTableView* view);
    void showMenu(const QPoint& at);
    void setShown(int column, bool shown);
    QString columnName(int column) const;

    QTableView* m_view = nullptr;
    QString m_format;
};
