// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/pruneselection.h"
#include "maintenance/prunetables.h"
#include "report/cachesummary.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

// PruneSelectors: the Prune dialog's choice of what goes — the table and the selectors of
// `cachescope-cli prune` (expired, created more than, containing, in a group, beyond a budget).
// For a local cache the table is one of the cache's own (PruneTables, read on a worker: a known
// format's entries table, or any table of a database of no known format) and only the
// selectors that table answers are enabled; the others are said, with why, above them. For a
// cache there the tables are those its `info` read there (showTablesThere), offered the same way.
// changed() on every edit of the choice. GUI thread.
class PruneSelectors : public QWidget {
    Q_OBJECT
public:
    explicit PruneSelectors(QWidget* parent = nullptr);

    void readTables(const QString& dbPath); // tablesRead() once they are listed (or said unreadable)
    // A cache there (RemoteWindow): its tables as the Overview's `info` read them there, offered as a local cache's
    // are (a known format's entries table, or every table of a database of no known format); tablesRead() once
    // listed. What each can be pruned by is not read from here: every selector stays offered, and the prune there
    // refuses one the table cannot answer, saying why (the preview shows it). Before: awaitTablesThere().
    void awaitTablesThere();
    void showTablesThere(const CacheSummary& summary);
    // The selection chosen; its problem (nothing chosen, a bad duration or size) in *problem.
    PruneSelection selection(QString* problem = nullptr) const;
    // What the chosen table can be pruned by and why not more, in words.
    QString tableText() const;

    QComboBox* tableBox() const { return m_table; }
    QCheckBox* expiredBox() const { return m_expired; }
    QLineEdit* matchEdit() const { return m_match; }
    QLineEdit* groupEdit() const { return m_group; }
    // A checkbox that turns on when its field is edited (also the dialog's backup row).
    static QCheckBox* checkFor(QLineEdit* edit, const QString& text);

Q_SIGNALS:
    void changed();
    void tablesRead();

private:
    void showTables(const Result<PruneTables>& tables);
    void listTables(); // m_tables in the table box, the first chosen
    void showTableChoices(); // the selectors the chosen table answers enabled, the others said
    // The line edit with, beside it, what its short form means in words ("30d" -> "30 days ago",
    // "1G" -> "1.0 GiB"), kept up to date as it is typed.
    QWidget* withMeaning(QLineEdit* edit, const QString& name, const std::function<QString(const QString&)>& meaning);

    QCheckBox* m_expired = nullptr;
    QCheckBox* m_olderCheck = nullptr;
    QLineEdit* m_older = nullptr;
    QCheckBox* m_matchCheck = nullptr;
    QLineEdit* m_match = nullptr;
    QCheckBox* m_groupCheck = nullptr;
    QLineEdit* m_group = nullptr;
    QCheckBox* m_budgetCheck = nullptr;
    QLineEdit* m_budget = nullptr;
    QComboBox* m_table = nullptr;
    QLabel* m_tableText = nullptr;
    PruneTables m_tables; // read from a local cache, or from a cache there's summary (m_there)
    bool m_there = false; // m_tables are a cache there's: what they can be pruned by is not known here
};
