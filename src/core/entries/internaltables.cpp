// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/internaltables.h"

#include "sqlite/database.h"
#include "sqlite/statement.h"

#include <QRegularExpression>

#include <optional>

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace {

struct Module {
    QString kind; // plain words
    QStringList shadows; // suffixes of its shadow tables
};

std::optional<Module> moduleOf(const QString& name)
{
    const QString lower = name.toLower();
    if (lower == u"fts5"_s)
        return Module { u"full-text index (FTS5)"_s, { u"data"_s, u"idx"_s, u"content"_s, u"docsize"_s, u"config"_s } };
    if (lower == u"fts3"_s || lower == u"fts4"_s)
        return Module { u"full-text index (%1)"_s.arg(name.toUpper()),
            { u"content"_s, u"segments"_s, u"segdir"_s, u"docsize"_s, u"stat"_s } };
    if (lower == u"rtree"_s || lower == u"rtree_i32"_s)
        return Module { u"R*Tree spatial index"_s, { u"node"_s, u"parent"_s, u"rowid"_s } };
    return std::nullopt;
}

} // namespace

Result<QMap<QString, QString>> InternalTables::of(Database* database)
{
    auto statement = Statement::prepare(database->handle(),
        u"SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"_s);
    if (!statement)
        return statement.error();
    static const QRegularExpression usingModule(
        u"\\bUSING\\s+[\"'`\\[]?(\\w+)"_s, QRegularExpression::CaseInsensitiveOption);
    QMap<QString, QString> internal;
    QList<std::pair<QString, Module>> virtuals;
    int rc;
    while ((rc = statement->step()) == SQLITE_ROW) {
        const QString name = statement->column(0).toString();
        const auto match = usingModule.match(statement->column(1).toString());
        if (!match.hasMatch())
            continue;
        if (const auto module = moduleOf(match.captured(1))) {
            internal.insert(name, module->kind);
            virtuals.append({ name, *module });
        }
    }
    if (rc != SQLITE_DONE)
        return database->lastError(u"reading the schema"_s);
    statement->finalize();
    auto tables = database->tables();
    if (!tables)
        return tables.error();
    for (const auto& [name, module] : std::as_const(virtuals)) {
        for (const QString& suffix : module.shadows) {
            const QString shadow = name + u'_' + suffix;
            for (const QString& table : tables.value()) {
                if (table.compare(shadow, Qt::CaseInsensitive) == 0)
                    internal.insert(table, u"%1 table of %2, a %3"_s.arg(suffix, name, module.kind));
            }
        }
    }
    return internal;
}
