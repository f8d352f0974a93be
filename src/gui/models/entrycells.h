// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"

#include <QVariant>

// EntryCells: how one read row's cells look in the Entries table — the text (decoded values
// as Python-like text, times in local time, BLOBs by size and preview, cut text ending in
// "…"), the tooltip (the stored value of a decoded time, more of a long value), NULL in grey
// italics (NullCell) apart from the text "NULL", expired rows dimmed, numbers right-aligned.
// Pure functions over an EntryView and an EntryRow: EntryModel decides which row is where,
// this decides how it reads. GUI thread.
class EntryCells {
public:
    static QVariant data(const EntryView& view, const EntryRow& row, int column, int role);
    static QVariant display(const EntryView& view, const EntryRow& row, int column);
};
