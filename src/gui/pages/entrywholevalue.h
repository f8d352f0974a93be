// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/storedvalue.h"
#include "models/entrytablemodel.h"
#include "tasks/latesttask.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

class QFont;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTextDocument;
class QWidget;

// EntryWholeValue: one column of the detail's entry shown whole — "Show all" on a value the form
// shows cut (#23.3) — in a tab of its own beside the form. The column is read off the GUI thread
// (the entry reader, MaxChars at most), and its text (a BLOB as a hex dump) made a QTextDocument
// there too, in blocks of about BlockChars characters; a read-only QPlainTextEdit then lays out
// only the blocks in view. A column longer than MaxChars characters (MaxBytes bytes) is not
// shown: "Save to file…" reads it whole and writes it on the worker instead. A new entry drops
// the tab and any read under way. GUI thread.
class EntryWholeValue : public QObject {
    Q_OBJECT
public:
    // Shown whole up to these (docs/BENCHMARKS.md, "Numbers behind constants"): the document
    // holds ~2 bytes a character, and while it is made the column is in memory twice more.
    static constexpr qint64 MaxChars = qint64(16) << 20; // of TEXT
    static constexpr qint64 MaxBytes = qint64(3) << 20; // of a BLOB, ~4.7 characters a byte as a hex dump
    // Lines are joined into blocks of about this many characters (a line longer is broken): a
    // block is laid out whole when it comes into view, and each block costs time on the GUI
    // thread when the document is shown (100,000 one-line blocks: 0.4 s).
    static constexpr qsizetype BlockChars = 4096;

    explicit EntryWholeValue(QTabWidget* tabs, QObject* parent = nullptr);

    // The form's links: "Show all" of a column, or "Save to file…" for one over the limits.
    static QString showLink(const QString& column);
    static QString saveLink(const QString& column);
    // Whether a column of `length` characters (bytes, when binary) can be shown whole.
    static bool fits(qint64 length, bool binary) { return length <= (binary ? MaxBytes : MaxChars); }
    // The text shown for a stored value: TEXT with control characters made visible, a BLOB
    // as a hex dump of every byte; INTEGER and REAL as SQLite writes them; empty for NULL.
    static QString textOf(const StoredValue& value);
    // A pickle (a BLOB the decoder reads: diskcache's, sqlitedict's, requests-cache's) unpickled whole, as Python's
    // repr() writes it — never run; *cut says whether a limit (depth) cut it where marked. Empty when the bytes are
    // not a pickle it can read: the hex dump is shown then.
    static QString unpickledText(const QByteArray& bytes, bool* cut);
    // The document for text, made on any thread: lines joined into blocks of about BlockChars
    // (U+2028 between them, which toPlainText gives back as '\n'), a longer line broken
    // (*lineBroken says whether one was).
    static QTextDocument* document(const QString& text, const QFont& font, bool* lineBroken = nullptr);

    // Reads row's column whole (on the entry reader: that column only, raw) and shows it in its tab.
    void show(EntryTableModel* model, int row, const QString& column);
    // Reads row's column whole and writes it to path on the entry reader: TEXT as UTF-8, a BLOB
    // as its bytes — that column only, raw, in memory once as read (plus SQLite's copy while it is
    // read). saved() says how it went, its length counted as SQLite's length() counts.
    void save(EntryTableModel* model, int row, const QString& column, const QString& path);
    // The tab goes, and a read under way shows nothing.
    void clear();
    bool isShown() const;
    QString shownText() const; // the whole value as shown, as plain text

Q_SIGNALS:
    void shown(); // the column is in its tab (or why it could not be read)
    void saved(const QString& message); // "Saved 200,000,000 characters of “value” to …" or why not

private:
    // read: the column's read is done (shown() follows); else "Reading…".
    void showDocument(const QString& column, const QString& about, QTextDocument* document, bool read = true);

    QTabWidget* m_tabs;
    QPointer<QWidget> m_page; // the tab, while shown
    QPlainTextEdit* m_view = nullptr;
    QLabel* m_about = nullptr;
    LatestTask m_read;
};
