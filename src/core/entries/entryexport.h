// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"

#include <QIODevice>

#include <atomic>
#include <functional>

// EntryExport: writes entries as JSON Lines (one object per entry, columns as in `entries
// --json`) or CSV (header row, RFC 4180 quoting). Whole values are written (no preview cut),
// BLOBs as {"blob_bytes", "preview"} in JSON and as their printable preview in CSV — or, with
// Binary::Base64, whole: {"blob_bytes", "base64"} in JSON, the base64 text in CSV. Pages
// through the table with short keyset statements (or reads the given entries one by one),
// checking `cancel` between pages; runs on the calling thread (the GUI calls it on a worker
// thread with that thread's own Database).
class EntryExport {
public:
    enum class Format { JsonLines, Csv };
    enum class Binary { Preview, Base64 };
    struct Options {
        Format format = Format::JsonLines;
        Binary binary = Binary::Preview;
        // Only these entries (paging keys, e.g. a selection), in this order; empty: every entry
        // the filter matches.
        QList<QVariantList> keys;
    };

    static Format formatForFile(const QString& fileName); // ".csv" → Csv, else JsonLines
    static QByteArray header(const EntryView& view, Format format);
    static QByteArray line(const EntryView& view, const EntryRow& row, Format format, Binary binary = Binary::Preview);
    // One CSV field, quoted when it holds a quote, comma or line break (RFC 4180).
    static QByteArray csvField(const QString& text);
    // A cell's JSON value as CSV text: NULL empty, BLOBs by their preview, reals exact.
    static QString csvText(const QJsonValue& value);

    using Progress = std::function<void(qint64 rowsWritten)>;
    // Exports every row of `table` matching `filter` from the database at `path` into out.
    static Result<qint64> run(const QString& path, const QString& table, const EntryFilter& filter, Format format,
        QIODevice* out, const std::atomic_bool& cancel, const Progress& progress = {});
    static Result<qint64> run(const QString& path, const QString& table, const EntryFilter& filter,
        const Options& options, QIODevice* out, const std::atomic_bool& cancel, const Progress& progress = {});
};
