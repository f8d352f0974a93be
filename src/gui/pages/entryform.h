// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/entrytablemodel.h"

#include <QString>

// EntryForm: one entry as the detail pane shows it, a form in HTML for a QTextBrowser. The
// value first: its kind and size, where it is kept (a diskcache value file, with its size on
// disk), then the value itself as the CLI's decoder shows it (`entries --key`), wrapped. Then
// the entry's other columns a row each, times as dates with how long ago, NULL drawn as NULL
// and not as the text "NULL". Then the columns as the table stores them, the format's
// internal ones explained (diskcache's raw, mode, size…). A generic table's entry is its
// columns as stored. Built on the entry reader's worker (pure: any thread). Each value is cut
// at FormChars characters and each line at LineChars (a long line without a break opportunity
// takes seconds to lay out); every cut says where it is and that "Copy entry as JSON" copies
// the whole entry, and a note above the form offers each cut column whole ("Show all",
// EntryWholeValue) or, past what is shown whole, saved to a file.
class EntryForm {
public:
    static constexpr qsizetype FormChars = 32768;
    static constexpr qsizetype LineChars = 4096;
    static constexpr qsizetype StoredChars = 2048; // a stored column whose decoded form is above

    // maxLength: what the entry was read with (values longer were cut to it, entry.cutLengths).
    static QString html(
        const EntryView& view, const EntryTableModel::WholeEntry& entry, const QString& databasePath, qint64 maxLength);
    // A diskcache value file (column `filename`, relative): its path and size on disk, from a
    // stat (the file itself is read by the decoder, never here); empty without one.
    static QString valueFileNote(const QString& databasePath, const QVariantMap& stored);
    // "3 minutes ago", "in 2 days": how far a time is from now, in the largest whole unit.
    static QString relativeTime(const QDateTime& time, const QDateTime& now);
    // The form wraps each relative time in a span whose title (its tooltip) is the time to the
    // millisecond — "2026-08-03 13:32:07.270 UTC" — so RelativeTimeTicker finds the words again
    // and keeps them current; the time a title holds, invalid for any other title.
    static QString relativeTimeTitle(const QDateTime& time);
    static QDateTime relativeTimeOfTitle(const QString& title);
};
