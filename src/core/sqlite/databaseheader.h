// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QByteArray>

// DatabaseHeader: the first 100 bytes of an SQLite database file, parsed (fileformat2.html).
// readFrom() opens and closes the file, which would drop this process's POSIX locks on it:
// only call it when the process holds no SQLite connection to that file (Database checks).
struct DatabaseHeader {
    static constexpr int Size = 100;

    quint32 pageSize = 0; // 512..65536
    quint8 writeVersion = 0; // 1 rollback, 2 WAL
    quint8 readVersion = 0;
    quint32 changeCounter = 0;
    quint32 pageCount = 0; // "in-header database size", valid only if versionValidFor == changeCounter
    quint32 freelistCount = 0;
    quint32 versionValidFor = 0;

    // SQLite reads a file in WAL mode (with a -wal and a -shm) when its read version (byte 19) is
    // 2, whatever the write version (byte 18) says (btree.c).
    bool isWal() const { return readVersion == 2; }
    bool pageCountValid() const { return pageCount > 0 && versionValidFor == changeCounter; }

    // NotSqlite for a bad magic string, Corrupt for an impossible page size.
    static Result<DatabaseHeader> parse(const QByteArray& bytes);
    // Reads and parses; NotSqlite when the file is shorter than the header.
    static Result<DatabaseHeader> readFrom(const QString& path);
    static bool hasMagic(const QByteArray& bytes);
    // NotSqlite's message: what SQLite files begin with and what these bytes begin with (printable ASCII only).
    static QString notSqliteMessage(const QByteArray& bytes);
};
