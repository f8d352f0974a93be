// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/pruneplan.h"

#include "common/format.h"
#include "decode/pickle.h"
#include "entries/entrydecoder.h"
#include "entries/entrysql.h"
#include "maintenance/walupkeep.h"
#include "sqlite/statement.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <sqlite3.h>

#include <algorithm>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int FirstChunkRows = 2000;
constexpr int MinChunkRows = 50;
constexpr int MaxChunkRows = 200000;
constexpr int RowidsPerLookup = 256; // explicit rows: looked up this many at a time

struct Candidate {
    PrunePlan::Row row;
    double order = 0;
};

// What the pass reads of each row, and how it decides the selectors SQL cannot.
class Scan {
public:
    explicit Scan(const PruneTarget& target)
        : m_target(target)
        , m_grouping(EntrySql::grouping(target.view))
        , m_created(EntrySql::createdColumn(target.view))
        , m_now(double(QDateTime::currentMSecsSinceEpoch()) / 1000.0)
    {
    }

    QString columns() const
    {
        const bool byCreated = m_target.selection.olderThanSecs >= 0 && m_created;
        return u"%1, %2, %3, %4, %5, %6"_s.arg(m_target.rowid, m_target.bytesSql,
            m_target.fileSql.isEmpty() ? u"0"_s : m_target.fileSql + u" IS NOT NULL"_s,
            byCreated ? m_created->sql : u"NULL"_s, m_target.selection.group.isNull() ? u"NULL"_s : m_grouping.sql,
            m_target.selection.maxBytes >= 0 ? m_target.orderSql : u"0"_s);
    }

    // Reads the rows a stepped statement returns; false on an SQLite error.
    int read(Statement& statement, QList<Candidate>& out, qint64* lastRowid)
    {
        int rows = 0;
        int rc;
        while ((rc = statement.step()) == SQLITE_ROW) {
            ++rows;
            const qint64 rowid = statement.column(0).toLongLong();
            if (lastRowid)
                *lastRowid = rowid;
            if (chosen(statement))
                out << Candidate { { rowid, statement.column(1).toLongLong(), statement.column(2).toLongLong() != 0 },
                    order(statement.column(5)) };
        }
        return rc == SQLITE_DONE ? rows : -1;
    }

private:
    bool chosen(const Statement& statement)
    {
        EntryDecoder::RowCache pickles;
        const PruneSelection& selection = m_target.selection;
        if (selection.olderThanSecs >= 0) {
            const auto created = EntrySql::createdSecs(*m_created, statement.column(3), pickles);
            if (!created || *created > m_now - double(selection.olderThanSecs))
                return false; // no readable time: never "old"
        }
        if (!selection.group.isNull() && m_grouping.nameOf(statement.column(4), pickles) != selection.group)
            return false;
        return true;
    }

    double order(const QVariant& value) const
    {
        if (value.typeId() == QMetaType::QString) { // ISO text
            EntryDecoder::RowCache none;
            if (const EntryColumn* created = m_created) {
                if (auto secs = EntrySql::createdSecs(*created, value, none))
                    return *secs;
            }
            return 0;
        }
        return value.toDouble();
    }

    const PruneTarget& m_target;
    EntrySql::Grouping m_grouping;
    const EntryColumn* m_created;
    double m_now;
};

void bindAll(Statement& statement, const QVariantList& params, int first = 1)
{
    for (int i = 0; i < params.size(); ++i)
        statement.bind(first + i, params[i]);
}

// Every row of the table in rowid order, in self-sizing chunks.
Status scanTable(Database* database, const PruneTarget& target, Scan& scan, QList<Candidate>& out,
    const std::atomic_bool& cancel, WalUpkeep* upkeep, PrunePlan& plan)
{
    auto statement = Statement::prepare(database->handle(),
        u"SELECT %1 FROM %2 WHERE (%3) AND %4 > ? ORDER BY %4 LIMIT ?"_s.arg(
            scan.columns(), target.from, target.condition, target.rowid));
    if (!statement)
        return statement.error();
    const int at = int(target.params.size()) + 1;
    qint64 after = std::numeric_limits<qint64>::min();
    int chunkRows = FirstChunkRows;
    for (;;) {
        if (cancel) {
            plan.complete = false;
            return {};
        }
        QElapsedTimer timer;
        timer.start();
        sqlite3_reset(statement->handle());
        bindAll(statement.value(), target.params);
        statement->bind(at, QVariant::fromValue(after));
        statement->bind(at + 1, QVariant::fromValue(qint64(chunkRows)));
        const int rows = scan.read(statement.value(), out, &after);
        if (rows < 0)
            return database->lastError(u"choosing the entries of %1"_s.arg(target.view.table));
        sqlite3_reset(statement->handle()); // ends the read transaction before the next chunk
        const qint64 ms = timer.elapsed();
        if (upkeep)
            upkeep->betweenReads();
        plan.longestStatementMs = std::max(plan.longestStatementMs, ms);
        if (rows < chunkRows)
            return {};
        if (ms > PrunePlan::MaxChunkMs)
            chunkRows = std::max(MinChunkRows, chunkRows / 2);
        else if (ms < PrunePlan::MaxChunkMs / 5)
            chunkRows = std::min(MaxChunkRows, chunkRows * 2);
    }
}

// The given rows that still exist and match, RowidsPerLookup at a time.
Status scanRowids(Database* database, const PruneTarget& target, Scan& scan, QList<Candidate>& out,
    const std::atomic_bool& cancel, WalUpkeep* upkeep, PrunePlan& plan)
{
    QList<qint64> rowids = *target.selection.rowids;
    std::sort(rowids.begin(), rowids.end());
    rowids.erase(std::unique(rowids.begin(), rowids.end()), rowids.end());
    QStringList marks;
    for (int i = 0; i < RowidsPerLookup; ++i)
        marks << u"?"_s;
    auto statement = Statement::prepare(database->handle(),
        u"SELECT %1 FROM %2 WHERE (%3) AND %4 IN (%5) ORDER BY %4"_s.arg(
            scan.columns(), target.from, target.condition, target.rowid, marks.join(u", "_s)));
    if (!statement)
        return statement.error();
    const int at = int(target.params.size()) + 1;
    for (qsizetype start = 0; start < rowids.size(); start += RowidsPerLookup) {
        if (cancel) {
            plan.complete = false;
            return {};
        }
        sqlite3_reset(statement->handle());
        bindAll(statement.value(), target.params);
        for (int i = 0; i < RowidsPerLookup; ++i)
            statement->bind(at + i, start + i < rowids.size() ? QVariant::fromValue(rowids[start + i]) : QVariant());
        if (scan.read(statement.value(), out, nullptr) < 0)
            return database->lastError(u"looking up the selected entries of %1"_s.arg(target.view.table));
        sqlite3_reset(statement->handle());
        if (upkeep)
            upkeep->betweenReads();
    }
    return {};
}

// Culls like the library: first in eviction order goes first, until the rest fit the budget.
void applyBudget(QList<Candidate>& candidates, qint64 budget, PrunePlan& plan)
{
    qint64 total = 0;
    for (const Candidate& c : candidates)
        total += c.row.bytes;
    std::stable_sort(
        candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) { return a.order < b.order; });
    qsizetype going = 0;
    while (going < candidates.size() && total > budget)
        total -= candidates[going++].row.bytes;
    candidates.resize(going);
    std::sort(candidates.begin(), candidates.end(),
        [](const Candidate& a, const Candidate& b) { return a.row.rowid < b.row.rowid; });
    plan.budgetKeptBytes = total;
}

Status readSampleKeys(Database* database, const PruneTarget& target, PrunePlan& plan)
{
    const EntryColumn* key = EntrySql::columnWith(target.view, EntryColumn::Role::Key);
    if (!key || plan.rows.isEmpty())
        return {};
    auto statement = Statement::prepare(database->handle(),
        u"SELECT %1, %2 FROM %3 WHERE %4 = ?"_s.arg(
            key->sql, key->auxSql.isEmpty() ? u"NULL"_s : key->auxSql, target.from, target.rowid));
    if (!statement)
        return statement.error();
    for (const PrunePlan::Row& row : plan.rows.mid(0, PrunePlan::SampleCount)) {
        sqlite3_reset(statement->handle());
        statement->bind(1, QVariant::fromValue(row.rowid));
        if (statement->step() != SQLITE_ROW)
            continue;
        EntryDecoder::RowCache pickles;
        plan.sampleKeys << EntrySql::readable(
            EntryDecoder::decode(*key, statement->column(0), statement->column(1), target.folder, false, pickles), 120);
    }
    sqlite3_reset(statement->handle());
    return {};
}
} // namespace

Result<PrunePlan> PrunePlan::make(
    Database* database, const PruneTarget& target, const std::atomic_bool& cancel, WalUpkeep* upkeep)
{
    PrunePlan plan;
    Scan scan(target);
    QList<Candidate> candidates;
    const Status scanned = target.selection.rowids
        ? scanRowids(database, target, scan, candidates, cancel, upkeep, plan)
        : scanTable(database, target, scan, candidates, cancel, upkeep, plan);
    if (!scanned)
        return scanned.error();
    if (target.selection.maxBytes >= 0 && plan.complete)
        applyBudget(candidates, target.selection.maxBytes, plan);
    plan.rows.reserve(candidates.size());
    for (const Candidate& c : candidates) {
        plan.rows << c.row;
        plan.bytes += c.row.bytes;
        plan.valueFiles += c.row.hasFile ? 1 : 0;
    }
    if (Status ok = readSampleKeys(database, target, plan); !ok)
        return ok.error();
    return plan;
}
