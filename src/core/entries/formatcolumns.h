// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrycolumn.h"
#include "sqlite/tableschema.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

// FormatColumns: the building blocks the cache formats (CacheFormat subclasses) define their
// columns and recognise their tables with: quoting, column-name tests, EntryColumn makers, the
// "expired" SQL, and the generic view (roles guessed from names and types) every table falls
// back to. Pure functions.
namespace FormatColumns {

using Role = EntryColumn::Role;

QString q(const QString& identifier); // an identifier quoted for SQL
bool hasAll(const TableSchema& schema, const QStringList& columns);
QSet<QString> lowerNames(const TableSchema& schema);
// The first column of schema named (case-insensitively) one of names, in the order of names.
QString firstNamed(const TableSchema& schema, const QStringList& names);

EntryColumn col(const QString& name, const QString& sql, Role role, int previewChars = 300);
EntryColumn decoded(EntryColumn column, EntryColumn::Decode decode, const QString& aux = QString());
// A field of a pickled dict (path: dotted, "a|b" alternatives, "@header:Name", "@bytes:name").
EntryColumn field(const QString& name, const QString& sql, const QString& path, Role role, int previewChars = 0);
// The bytes of sql's value as stored: SQLite's length() counts the characters of TEXT ("é漢字" is 3,
// its UTF-8 7 bytes). A BLOB's length is read from its record header, never its content.
QString byteLength(const QString& sql);
// What a size column in those bytes means, for the detail pane's notes.
QString utf8BytesNote();
// Seconds since 1970 (REAL) compared with now, in SQL (docs/FORMATS.md: diskcache expire_time).
QString expiredSql(const QString& epochColumn);

// key, value, size (and expires when there is one): the key-value tables.
QList<EntryColumn> keyValueColumns(const TableSchema& schema);
// Every visible column as it is, with roles guessed from names and types.
QList<EntryColumn> genericColumns(const TableSchema& schema);

} // namespace FormatColumns
