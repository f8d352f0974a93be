// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/innocuousjson.h"

#include <QByteArray>
#include <QString>

#include <sqlite3.h>

#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace {

struct JsonFunction {
    const char* name;
    int arguments; // -1: any number
    const char* call; // an operator ("->") instead of a function call
};

// The JSON functions SQLite 3.40 leaves without SQLITE_INNOCUOUS (pragma_function_list).
const JsonFunction jsonFunctions[] = {
    { "json", 1, nullptr },
    { "json_array", -1, nullptr },
    { "json_array_length", 1, nullptr },
    { "json_array_length", 2, nullptr },
    { "json_extract", -1, nullptr },
    { "json_insert", -1, nullptr },
    { "json_object", -1, nullptr },
    { "json_patch", 2, nullptr },
    { "json_quote", 1, nullptr },
    { "json_remove", -1, nullptr },
    { "json_replace", -1, nullptr },
    { "json_set", -1, nullptr },
    { "json_type", 1, nullptr },
    { "json_type", 2, nullptr },
    { "json_valid", 1, nullptr },
    { "->", 2, "->" },
    { "->>", 2, "->>" },
};

constexpr int MaxArguments = 127; // SQLite's own limit on function arguments

struct Registration {
    JsonFunction function;
    sqlite3* helper;
};

constexpr unsigned int JsonSubtype = 'J'; // SQLite's own subtype for "this text is JSON"

// "f(?1, json(?2))": an argument that is JSON (subtype J) stays JSON on the helper.
QByteArray callExpression(const JsonFunction& function, int argc, sqlite3_value** argv)
{
    auto argument = [&](int i) {
        const QByteArray bound = '?' + QByteArray::number(i + 1);
        return sqlite3_value_subtype(argv[i]) == JsonSubtype ? "json(" + bound + ')' : bound;
    };
    if (function.call)
        return '(' + argument(0) + ' ' + function.call + ' ' + argument(1) + ')';
    QByteArray sql = QByteArray(function.name) + '(';
    for (int i = 0; i < argc; ++i)
        sql += (i ? "," : "") + argument(i);
    return sql + ')';
}

// Evaluates the function with the same arguments on the helper connection. The result's JSON
// subtype does not survive a result row, so json_quote() tells it: it returns JSON unchanged
// and quotes plain text.
void callOnHelper(sqlite3_context* context, int argc, sqlite3_value** argv)
{
    const auto* registration = static_cast<const Registration*>(sqlite3_user_data(context));
    if (argc > MaxArguments) {
        sqlite3_result_error(context, "too many arguments", -1);
        return;
    }
    const QByteArray expression = callExpression(registration->function, argc, argv);
    const QByteArray sql = "SELECT " + expression + ", json_quote(" + expression + ')';
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(registration->helper, sql.constData(), int(sql.size()), &statement, nullptr) != SQLITE_OK) {
        sqlite3_result_error(context, sqlite3_errmsg(registration->helper), -1);
        return;
    }
    for (int i = 0; i < argc; ++i)
        sqlite3_bind_value(statement, i + 1, argv[i]);
    if (sqlite3_step(statement) == SQLITE_ROW) {
        sqlite3_value* value = sqlite3_column_value(statement, 0);
        sqlite3_result_value(context, value);
        if (sqlite3_column_type(statement, 0) == SQLITE_TEXT && sqlite3_column_type(statement, 1) == SQLITE_TEXT
            && sqlite3_column_bytes(statement, 0) == sqlite3_column_bytes(statement, 1)
            && std::memcmp(sqlite3_column_text(statement, 0), sqlite3_column_text(statement, 1),
                   size_t(sqlite3_column_bytes(statement, 0)))
                == 0)
            sqlite3_result_subtype(context, JsonSubtype);
    } else {
        sqlite3_result_error(context, sqlite3_errmsg(registration->helper), -1);
    }
    sqlite3_finalize(statement);
}

} // namespace

namespace InnocuousJson {

Result<sqlite3*> install(sqlite3* db)
{
    sqlite3* helper = nullptr;
    if (sqlite3_open_v2(":memory:", &helper, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        sqlite3_close_v2(helper);
        return Error { Error::Kind::Other, u"cannot open SQLite's in-memory helper for JSON functions"_s };
    }
    for (const JsonFunction& function : jsonFunctions) {
        auto* registration = new Registration { function, helper };
        const int rc = sqlite3_create_function_v2(db, function.name, function.arguments,
            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, registration, callOnHelper, nullptr, nullptr,
            [](void* p) { delete static_cast<Registration*>(p); });
        if (rc != SQLITE_OK) {
            sqlite3_close_v2(helper);
            return Error { Error::Kind::Other,
                u"cannot register %1() for generated columns: %2"_s.arg(
                    QString::fromLatin1(function.name), QString::fromUtf8(sqlite3_errmsg(db))) };
        }
    }
    return helper;
}

} // namespace InnocuousJson
