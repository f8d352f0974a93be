// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/expirysql.h"

#include "entries/entrydecoder.h"
#include "sqlite/database.h"

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace {

// cachescope_pickle_expired(blob, field): 1 when the pickled dict's field is a time in the
// past, else 0 (also for values that are not pickles or have no such field).
void pickleExpired(sqlite3_context* context, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_int(context, 0);
        return;
    }
    const auto* data = static_cast<const char*>(sqlite3_value_blob(argv[0]));
    const QByteArray blob = QByteArray::fromRawData(data, sqlite3_value_bytes(argv[0]));
    EntryColumn column;
    column.sql = u"value"_s;
    column.role = EntryColumn::Role::Expired;
    column.decode = EntryColumn::Decode::PickleField;
    column.field = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_value_text(argv[1])));
    EntryDecoder::RowCache cache;
    const auto decoded = EntryDecoder::decode(column, QVariant(blob), QVariant(), QString(), false, cache);
    sqlite3_result_int(context, decoded.value.toBool() ? 1 : 0);
}

QString sqlText(const QString& text)
{
    return u"'"_s + QString(text).replace(u'\'', u"''"_s) + u"'"_s;
}

} // namespace

void ExpirySql::install(sqlite3* db)
{
    sqlite3_create_function_v2(db, "cachescope_pickle_expired", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, nullptr,
        pickleExpired, nullptr, nullptr, nullptr);
}

QString ExpirySql::expiredCondition(const EntryView& view)
{
    const int index = view.columnIndex(EntryColumn::Role::Expired);
    if (index < 0)
        return QString();
    const EntryColumn& column = view.columns[index];
    if (column.decode == EntryColumn::Decode::PickleField)
        // The field path is one of ours (profiles.cpp), never text from the file.
        return u"cachescope_pickle_expired(%1, %2)"_s.arg(column.sql, sqlText(column.field));
    return u"coalesce((%1) <> 0, 0)"_s.arg(column.sql);
}
