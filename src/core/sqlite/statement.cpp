// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/statement.h"
#include "sqlite/rawtext.h"

#include <QStringDecoder>

#include "sqlite/sqliteerror.h"
#include "sqlite/statementbudget.h"

#include <sqlite3.h>

Result<Statement> Statement::prepare(sqlite3* db, const QString& sql)
{
    sqlite3_stmt* stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_prepare_v2(db, utf8.constData(), int(utf8.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        Error error = SqliteError::of(db);
        if (error.kind == Error::Kind::Corrupt && !error.message.startsWith(u"truncated"))
            return error; // "the schema uses …()": the reason matters more than the kind
        if (error.kind != Error::Kind::Locked)
            error.kind = Error::Kind::Other; // a bad statement (no such table…) is not a bad file
        return error;
    }
    return Statement(stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        finalize();
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement()
{
    finalize();
}

void Statement::finalize()
{
    if (m_stmt) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

void Statement::bind(int index, const QVariant& value)
{
    if (!value.isValid() || value.isNull()) {
        sqlite3_bind_null(m_stmt, index);
        return;
    }
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::Bool:
        sqlite3_bind_int64(m_stmt, index, value.toLongLong());
        break;
    case QMetaType::Double:
        sqlite3_bind_double(m_stmt, index, value.toDouble());
        break;
    case QMetaType::QByteArray: {
        const QByteArray bytes = value.toByteArray();
        sqlite3_bind_blob64(m_stmt, index, bytes.constData(), sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT);
        break;
    }
    default: {
        if (value.typeId() == qMetaTypeId<RawText>()) {
            const QByteArray bytes = value.value<RawText>().bytes;
            sqlite3_bind_text64(
                m_stmt, index, bytes.constData(), sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
            break;
        }
        const QByteArray utf8 = value.toString().toUtf8();
        sqlite3_bind_text64(
            m_stmt, index, utf8.constData(), sqlite3_uint64(utf8.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
        break;
    }
    }
}

int Statement::step()
{
    StatementBudget::stepStarted();
    const int rc = sqlite3_step(m_stmt);
    StatementBudget::stepEnded();
    return rc;
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

QString Statement::columnName(int column) const
{
    return QString::fromUtf8(sqlite3_column_name(m_stmt, column));
}

int Statement::columnType(int column) const
{
    return sqlite3_column_type(m_stmt, column);
}

QVariant Statement::keyColumn(int column) const
{
    if (sqlite3_column_type(m_stmt, column) == SQLITE_TEXT) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
        const QByteArray bytes(text, sqlite3_column_bytes(m_stmt, column));
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString decoded = decoder.decode(bytes);
        if (decoder.hasError())
            return QVariant::fromValue(RawText { bytes });
        return QVariant(decoded.isNull() ? QStringLiteral("") : decoded);
    }
    return this->column(column);
}

QVariant Statement::column(int column) const
{
    switch (sqlite3_column_type(m_stmt, column)) {
    case SQLITE_INTEGER:
        return QVariant(qint64(sqlite3_column_int64(m_stmt, column)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(m_stmt, column));
    case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
        const int bytes = sqlite3_column_bytes(m_stmt, column);
        if (bytes == 0) // an empty text is not NULL: a null QString would read as one
            return QVariant(QStringLiteral(""));
        return QVariant(QString::fromUtf8(text, bytes));
    }
    case SQLITE_BLOB: {
        const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
        return QVariant(QByteArray(data, sqlite3_column_bytes(m_stmt, column)));
    }
    default:
        return QVariant();
    }
}
