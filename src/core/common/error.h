// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>
#include <utility>

// Error: a failure with a kind a caller can branch on and a specific, human-readable reason.
// Core never shows UI; it returns these and the CLI/GUI present them (docs/CONTRIBUTING.md, house rule 3).
struct Error {
    enum class Kind {
        NotFound,
        IsDirectory,
        NotRegularFile,
        SymbolicLink,
        PermissionDenied,
        EmptyFile,
        NotSqlite,
        Corrupt,
        Locked,
        Refused, // not done for safety, with the reason (the CLI's exit 3)
        ReadOnly,
        Invalid,
        Io,
        Other,
    };
    Kind kind = Kind::Other;
    QString message;
    bool namesHolders = false; // the message already says which processes hold the lock
    // A read-only open refused because the cache cannot be copied privately, that a read in
    // place (Database::Options::readInPlace: SQLite writes a -shm beside it) would do.
    bool readableInPlace = false;
};

// Result<T>: either a value or an Error. Small on purpose (no std::expected in C++17).
template <typename T> class Result {
public:
    Result(T value)
        : m_value(std::move(value))
    {
    }
    Result(Error error)
        : m_error(std::move(error))
    {
    }
    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    T& value() { return *m_value; }
    const T& value() const { return *m_value; }
    T* operator->() { return &*m_value; }
    const T* operator->() const { return &*m_value; }
    const Error& error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

// Status: success or an Error, for operations without a value.
class Status {
public:
    Status() = default;
    Status(Error error)
        : m_error(std::move(error))
        , m_failed(true)
    {
    }
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};
