// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/prunetarget.h"

#include "common/format.h"
#include "entries/cacheformats.h"
#include "entries/entrysql.h"
#include "entries/expirysql.h"
#include "maintenance/prunetables.h"
#include "sqlite/statement.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace {
using Role = EntryColumn::Role;

QString q(const QString& identifier)
{
    return Database::quoteIdentifier(identifier);
}

Error invalid(const QString& message)
{
    return Error { Error::Kind::Invalid, message };
}

// One text value of a query with one bound parameter; null when there is no row.
Result<QVariant> valueOf(Database* database, const QString& sql, const QVariant& parameter)
{
    auto statement = Statement::prepare(database->handle(), sql);
    if (!statement)
        return statement.error();
    statement->bind(1, parameter);
    const int rc = statement->step();
    if (rc == SQLITE_ROW)
        return statement->column(0);
    if (rc != SQLITE_DONE)
        return database->lastError(u"reading %1"_s.arg(sql.left(60)));
    return QVariant();
}

// The column a view's role reads when it is one plain column of the table, else empty.
QString plainColumn(const EntryView& view, Role role)
{
    const EntryColumn* column = EntrySql::columnWith(view, role);
    if (!column)
        return QString();
    for (const QString& name : view.schema.columnNames()) {
        if (column->sql == q(name))
            return column->sql;
    }
    return QString();
}

// diskcache's eviction_policy (Settings) as the column culled first.
Status diskcacheOrder(Database* database, PruneTarget& target)
{
    auto policy = valueOf(database, u"SELECT value FROM \"Settings\" WHERE key = ?"_s, u"eviction_policy"_s);
    if (!policy)
        return policy.error();
    const QString name = policy->toString();
    const QString column = name == u"least-recently-used"_s ? u"access_time"_s
        : name == u"least-frequently-used"_s                ? u"access_count"_s
                                                            : u"store_time"_s;
    if (!target.view.schema.hasColumn(column))
        return invalid(
            u"diskcache's eviction policy %1 needs the column %2, which the table lacks"_s.arg(name, column));
    target.orderSql = q(column);
    target.orderBy = name.isEmpty() || name == u"none"_s ? u"store_time (oldest first; eviction_policy none)"_s
                                                         : u"%1 (eviction_policy %2)"_s.arg(column, name);
    return {};
}

Status diskcacheCounters(Database* database, PruneTarget& target)
{
    for (const auto& [trigger, flag] : { std::pair { u"Settings_count_delete"_s, &target.updatesCount },
             std::pair { u"Settings_size_delete"_s, &target.updatesSize } }) {
        auto found = valueOf(database, u"SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?"_s, trigger);
        if (!found)
            return found.error();
        *flag = found->isNull();
    }
    return {};
}

// The rows of other tables that belong to an entry and are removed with it.
Status findDependents(Database* database, PruneTarget& target)
{
    auto tables = database->tables();
    if (!tables)
        return tables.error();
    const CacheFormat& format = CacheFormats::byId(target.view.profile);
    for (const QString& table : tables.value()) {
        if (table == target.view.table)
            continue;
        auto schema = TableSchema::read(database, table);
        if (!schema)
            return schema.error();
        if (const auto dependent = format.dependent(schema.value()))
            target.dependents << PruneTarget::Dependent { q(table), q(dependent->column), dependent->alsoKey };
    }
    if (!target.dependents.isEmpty())
        target.parentSql = q(format.parentKeyColumn());
    return {};
}

// True when the file has triggers and every one is a full-text trigger as sqlite-utils writes
// them (what `llm` uses): AFTER INSERT/DELETE/UPDATE ON t BEGIN INSERT INTO [t_fts] (…) VALUES
// (…); … END, the values only 'delete', old./new. rowid and columns, t_fts an FTS table.
Result<bool> onlyFtsTriggers(Database* database)
{
    static const QRegularExpression trigger(
        uR"(^CREATE TRIGGER \[?\w+\]? AFTER (?:INSERT|DELETE|UPDATE) ON \[?(\w+)\]?\s+BEGIN\s+((?:INSERT INTO \[?\w+\]? \([^;()]*\) VALUES\s*\([^;()]*\);\s*)+)END$)"_s);
    static const QRegularExpression insert(uR"(INSERT INTO \[?(\w+)\]? \([^;()]*\) VALUES\s*\(([^;()]*)\);)"_s);
    static const QRegularExpression value(uR"(^(?:'delete'|(?:old|new)\.(?:rowid|\[\w+\]|\w+))$)"_s);
    auto statement = Statement::prepare(database->handle(),
        u"SELECT t.sql, (SELECT group_concat(v.name || '=' || v.sql, char(10)) FROM sqlite_schema v "
        "WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%') FROM sqlite_schema t WHERE t.type = 'trigger'"_s);
    if (!statement)
        return statement.error();
    int triggers = 0;
    int rc;
    while ((rc = statement->step()) == SQLITE_ROW) {
        ++triggers;
        const auto match = trigger.match(statement->column(0).toString().trimmed());
        if (!match.hasMatch())
            return false;
        const QString fts = match.captured(1) + u"_fts"_s;
        const QStringList virtuals = statement->column(1).toString().split(u'\n');
        const bool isFts = std::any_of(virtuals.begin(), virtuals.end(), [&](const QString& line) {
            return line.startsWith(fts + u'=') && line.contains(u"USING FTS"_s, Qt::CaseInsensitive);
        });
        if (!isFts)
            return false;
        for (auto it = insert.globalMatch(match.captured(2)); it.hasNext();) {
            const auto one = it.next();
            if (one.captured(1) != fts)
                return false;
            for (const QString& item : one.captured(2).split(u','))
                if (!value.match(item.trimmed()).hasMatch())
                    return false;
        }
    }
    if (rc != SQLITE_DONE)
        return database->lastError(u"reading the triggers"_s);
    return triggers > 0;
}

Status checkSelectors(PruneTarget& target)
{
    const EntryView& view = target.view;
    const PruneSelection& selection = target.selection;
    const PruneTables::Table can = PruneTables::Table::of(view);
    const QString what = u"table %1 (%2)"_s.arg(view.table, view.profile);
    if (selection.filter.expiry != EntryFilter::Expiry::Any && !can.expiry)
        return invalid(u"--expired: %1 keeps no expiry time"_s.arg(what));
    if (selection.olderThanSecs >= 0 && can.createdColumn.isEmpty())
        return invalid(u"--older-than: %1 keeps no creation time"_s.arg(what));
    if (!selection.group.isNull() && can.groupBy.isEmpty())
        return invalid(u"--group: %1 has no model, tag or host to group by"_s.arg(what));
    if (selection.maxBytes >= 0 && !can.budget)
        return invalid(u"--max-bytes: %1 keeps no value or size to budget"_s.arg(what));
    for (auto it = selection.filter.columns.cbegin(); it != selection.filter.columns.cend(); ++it) {
        if (it.key() < 0 || it.key() >= view.columns.size())
            return invalid(u"a column filter names column %1 of %2, which has %3"_s.arg(it.key() + 1)
                               .arg(what)
                               .arg(view.columns.size()));
    }
    return {};
}
} // namespace

Result<PruneTarget> PruneTarget::of(Database* database, const PruneSelection& selection)
{
    auto view = selection.table.isEmpty() ? Profiles::mainView(database) : Profiles::view(database, selection.table);
    if (!view)
        return view.error();
    if (const QString refused = PruneTables::Table::refusal(view.value(), !selection.table.isEmpty());
        !refused.isEmpty())
        return invalid(refused);
    PruneTarget target;
    target.view = std::move(view.value());
    target.selection = selection;
    for (auto it = selection.columnsByName.cbegin(); it != selection.columnsByName.cend(); ++it) {
        const int index = int(target.view.columnNames().indexOf(it.key()));
        if (index < 0)
            return invalid(u"--column: table %1 (%2) has no column \"%3\" (its columns: %4)"_s.arg(
                target.view.table, target.view.profile, it.key(), target.view.columnNames().join(u", "_s)));
        target.selection.filter.columns.insert(index, it.value());
    }
    if (Status ok = checkSelectors(target); !ok)
        return ok.error();
    target.folder = QFileInfo(database->path()).absolutePath();
    target.from = q(target.view.table);
    target.rowid = q(target.view.schema.rowidName);
    ExpirySql::install(database->handle()); // the expiry of requests-cache responses
    EntryPager pager(database, target.view);
    pager.setFilter(target.selection.filter);
    target.condition = pager.filterCondition(target.params);
    if (!selection.group.isNull()) {
        // Text groups are compared in SQL too (the rest, pickles and hosts, by their names only);
        // the name is escaped text, so one with control characters never equals stored text.
        const EntrySql::Grouping grouping = EntrySql::grouping(target.view);
        if (!grouping.decoded && !Format::hasControl(selection.group)) {
            const QString group = u"(typeof(%1) <> 'text' OR %1 = ?)"_s.arg(grouping.sql);
            target.condition = target.condition.isEmpty() ? group : target.condition + u" AND "_s + group;
            target.params << selection.group;
        }
    }
    if (target.condition.isEmpty())
        target.condition = u"1"_s;
    target.bytesSql = EntrySql::bytes(target.view);
    if (target.bytesSql.isEmpty())
        target.bytesSql = u"0"_s;
    if (const QString key = plainColumn(target.view, Role::Key); !key.isEmpty())
        target.fingerprint << key;
    if (CacheFormats::byId(target.view.profile).keepsValueFiles()) {
        target.fileSql = q(u"filename"_s);
        target.fingerprint << q(u"store_time"_s) << q(u"filename"_s);
        if (Status ok = diskcacheOrder(database, target); !ok)
            return ok.error();
        if (Status ok = diskcacheCounters(database, target); !ok)
            return ok.error();
    } else if (const QString created = plainColumn(target.view, Role::Created); !created.isEmpty()) {
        target.orderSql = created;
        target.orderBy = u"%1 (oldest first)"_s.arg(created);
    } else {
        target.orderSql = target.rowid;
        target.orderBy = u"rowid (first stored first)"_s;
    }
    if (Status ok = findDependents(database, target); !ok)
        return ok.error();
    if (CacheFormats::byId(target.view.profile).keepsFtsByTriggers()) {
        auto fts = onlyFtsTriggers(database);
        if (!fts)
            return fts.error();
        target.runsFtsTriggers = fts.value();
    }
    return target;
}
