// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>
#include <QVariant>

struct sqlite3;
struct sqlite3_stmt;

// Statement: one prepared sqlite3_stmt, finalized when the Statement goes away. Reads are
// meant to be short: step to the end (or drop the Statement) right away so no read
// transaction outlives the call that needed it (docs/WAL.md §4.3). Move-only; use it on
// the thread that owns its connection.
class Statement {
public:
    static Result<Statement> prepare(sqlite3* db, const QString& sql);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Binds by 1-based index. Strings as TEXT, QByteArray as BLOB, null QVariant as NULL,
    // RawText as TEXT of exactly its bytes.
    void bind(int index, const QVariant& value);
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step();
    int columnCount() const;
    QString columnName(int column) const;
    // INTEGER → qint64, REAL → double, TEXT → QString, BLOB → QByteArray, NULL → null QVariant.
    QVariant column(int column) const;
    // column(), except that TEXT which is not valid UTF-8 is RawText (its exact bytes): for
    // keys, which must compare equal to themselves when bound back.
    QVariant keyColumn(int column) const;
    int columnType(int column) const;
    void finalize();
    sqlite3_stmt* handle() const { return m_stmt; }

private:
    explicit Statement(sqlite3_stmt* stmt)
        : m_stmt(stmt)
    {
    }
    sqlite3_stmt* m_stmt = nullptr;
};
