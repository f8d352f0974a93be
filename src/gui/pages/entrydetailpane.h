// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/entrytablemodel.h"
#include "tasks/latesttask.h"

#include <QObject>

#include <memory>

class Database;
class EntryWholeValue;
class QTextBrowser;
class QTextDocument;
class QTreeWidget;

// EntryDetailPane: the Entries page's current entry below its table — read whole, made a form
// (EntryForm) and that form's HTML parsed into a QTextDocument off the GUI thread, the document
// then given whole to the Entry tab's browser, and the JSON tree beside it; a read for a row
// since left is dropped. Each text the form shows is a document of its own, so a big form is
// never cleared in place. The form's relative times tick (RelativeTimeTicker). A value the form
// shows cut has a "Show all" link: EntryWholeValue shows it whole in a tab of its own, until
// another entry is shown. GUI thread.
class EntryDetailPane : public QObject {
    Q_OBJECT
public:
    // Longest value the pane shows (characters of TEXT, bytes of BLOB): laying out text costs the
    // GUI thread time in its length, so a huge cell is shown cut while a long LLM answer still
    // fits whole (docs/BENCHMARKS.md, "Numbers behind constants"); "Show all" reads it whole.
    static constexpr qint64 MaxLength = 1 << 17;

    EntryDetailPane(QTextBrowser* form, QTreeWidget* jsonTree, QObject* parent);

    // The entries the rows are of (null: none); database: the one they are read from (of a
    // FanoutCache, the first shard). Shows nothing until show().
    void setModel(EntryTableModel* model, Database* database);
    // Reads and shows the entry of row; when its page is still being read, waitsForRow() until
    // the page arrives and show() is called again.
    void show(int row);
    bool waitsForRow() const { return m_waitsForRow; }
    // Nothing shown, and a read under way shows nothing either.
    void clear();
    // Nothing shown (a read under way still shows its entry).
    void blank();
    QString text() const; // the form as plain text
    EntryWholeValue* wholeValue() const { return m_whole; }

Q_SIGNALS:
    void shown(); // the current entry (or why it could not be read) is in the pane
    void status(const QString& text); // a value saved to a file, or why not

private:
    QString databasePathOf(int row) const; // the database file holding the row (a FanoutCache's shard)
    struct ParsedForm;
    void showEntry(const Result<EntryTableModel::WholeEntry>& entry, const CancelToken& token,
        const std::shared_ptr<ParsedForm>& parsed);
    void showPlainText(const QString& text);
    // The browser shows document (made on the GUI thread or moved to it); the one before goes.
    void showDocument(QTextDocument* document);
    // A link of the form: "Show all" of a column, or "Save … to a file…".
    void followLink(const QUrl& url);
    int currentRow() const; // the row shown, where it is now (-1: gone)

    QTextBrowser* m_form;
    QTreeWidget* m_jsonTree;
    EntryTableModel* m_model = nullptr;
    Database* m_database = nullptr;
    LatestTask m_read; // reads for a row since left are dropped
    bool m_waitsForRow = false; // the current row's page is still being read
    int m_row = -1; // the row shown
    QVariantList m_key; // its key
    EntryWholeValue* m_whole;
};
