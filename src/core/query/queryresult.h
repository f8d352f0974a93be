// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"

#include <QJsonObject>
#include <QStringList>

// QueryLimits: how much one console query may cost the process and the live cache. Rows are
// materialised up to maxRows and maxBytes, then the statement is finalised (docs/WAL.md: no
// read transaction may outlive the call). Text cells are kept up to textChars characters and
// BLOBs as a preview of blobPreviewBytes; their full length is kept beside them.
struct QueryLimits {
    static constexpr int DefaultMaxRows = 10000;
    static constexpr int DefaultTimeoutMs = 10000;
    int maxRows = DefaultMaxRows;
    int timeoutMs = DefaultTimeoutMs; // progress-handler time limit (and the busy timeout)
    qint64 maxBytes = qint64(64) * 1024 * 1024;
    int textChars = 65536;
    int blobPreviewBytes = 256;
};

// QueryResult: the rows of one read-only query, an immutable value once returned. Cells are
// EntryRow values (the same JSON/preview rules as `entries --json`): text cut with "…", BLOBs
// as {"blob_bytes", "preview"}. Column names are exactly as SQLite reports them.
struct QueryResult {
    QStringList columns;
    QList<EntryRow> rows;
    bool truncated = false;
    QString truncatedReason; // "max_rows" or "max_bytes" when truncated
    int maxRows = 0;
    qint64 elapsedMs = 0;

    // {"columns":[names],"rows":[[values]],"truncated":bool,"truncated_reason":…,"row_count",
    // "max_rows","elapsed_ms"} (rows are arrays: SQL allows duplicate column names).
    QJsonObject toJson() const;
    // A header line and one line per row, cells separated by " | ", control characters escaped.
    QString toText() const;
    // RFC 4180, a header row; BLOBs as their printable preview.
    QByteArray toCsv() const;
    // One cell for a table view: NULL, bytes as ValueText::bytesLine ("7 bytes: 00 01 62 … |..b…|"), dates for
    // *_time/*_at epoch columns, integers grouped ("16,721", Format::count), text cut to 200 characters; control
    // characters escaped.
    QString displayText(int row, int column) const;
};
