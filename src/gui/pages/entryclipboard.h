// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class EntryTableModel;
class QTableView;

// EntryClipboard: the Entries page's copy actions on its table's current row — a cell or the row
// as JSON from its page, the key (as it is or as a cachescope-cli option) and the whole entry as JSON, each read
// whole on the entry reader when the row shows only a preview. GUI thread.
class EntryClipboard : public QObject {
    Q_OBJECT
public:
    // rows: the page's table, whose model is the EntryTableModel the page shows (or none).
    EntryClipboard(QTableView* rows, QObject* parent);

    // Adds the copy actions to the table's context menu (and Ctrl+C, Copy cell).
    void addActions();
    // "cell" or "row" of the current row, from its page; "key": its key (text as it is, any other
    // value as JSON); "cli-key": the --key/--key-json option for its key; either key empty when
    // the row shows a cut preview of it (copyKey reads it whole).
    QString copyText(const QString& what) const;
    // How "Copy key" words the key: as it is, or as a cachescope-cli option (--key / --key-json).
    enum class KeyForm { Plain, CliOption };
    // "Copy key" / "Copy key as a cachescope-cli option": the whole key, read on the entry reader
    // when the row shows a preview of it; keyCopied says what went on the clipboard (empty: nothing).
    void copyKey(KeyForm form = KeyForm::CliOption);
    // "Copy entry as JSON": the current row's whole entry, read and turned into JSON on the
    // entry reader (100 MiB values take a while), then put on the clipboard; entryCopied says
    // when (empty text and the reason in the status line when it could not be read).
    void copyEntry();
    // The model shows a FanoutCache's named sub-cache ("index/sessions": the key option names it
    // with --shard), else empty.
    void setSubCache(const QString& name) { m_subCache = name; }

Q_SIGNALS:
    void entryCopied(const QString& json);
    void keyCopied(const QString& option);
    void status(const QString& text); // for the page's status line

private:
    EntryTableModel* model() const;
    // " --shard 003" for a FanoutCache's row, " --shard index/sessions" for a sub-cache's, else empty
    QString shardOption(int row) const;

    QTableView* m_rows;
    QString m_subCache;
};
