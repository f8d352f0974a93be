// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/tablereader.h"

#include "sqlite/statement.h"

#include <sqlite3.h>

#include <limits>

using namespace Qt::Literals::StringLiterals;

TableReader::TableReader(Database* database, const QString& table)
    : m_database(database)
    , m_table(table)
{
}

Result<TableReader::Batch> TableReader::next(int limit)
{
    const QString quoted = Database::quoteIdentifier(m_table);
    if (!m_started) {
        m_started = true;
        auto probe = Statement::prepare(m_database->handle(), u"SELECT rowid FROM "_s + quoted + u" LIMIT 0"_s);
        m_hasRowid = probe.ok();
        m_lastRowid = std::numeric_limits<qint64>::min();
    }
    auto statement = m_hasRowid
        ? Statement::prepare(
            m_database->handle(), u"SELECT rowid, * FROM "_s + quoted + u" WHERE rowid > ?1 ORDER BY rowid LIMIT ?2"_s)
        : Statement::prepare(m_database->handle(), u"SELECT * FROM "_s + quoted + u" LIMIT ?2 OFFSET ?1"_s);
    if (!statement)
        return statement.error();
    statement->bind(1, m_hasRowid ? m_lastRowid : m_offset);
    statement->bind(2, limit);
    Batch batch;
    const int first = m_hasRowid ? 1 : 0;
    for (int c = first; c < statement->columnCount(); ++c)
        batch.columns << statement->columnName(c);
    int rc;
    while ((rc = statement->step()) == SQLITE_ROW) {
        QVariantList row;
        row.reserve(statement->columnCount() - first);
        for (int c = first; c < statement->columnCount(); ++c)
            row << statement->column(c);
        if (m_hasRowid)
            m_lastRowid = statement->column(0).toLongLong();
        batch.rows << row;
    }
    if (rc != SQLITE_DONE)
        return m_database->lastError(u"reading "_s + m_table);
    m_offset += batch.rows.size();
    batch.atEnd = batch.rows.size() < limit;
    return batch;
}
