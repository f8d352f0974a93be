// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFont>
#include <QVariant>

// NullCell: how a table cell holding SQL NULL is drawn — "NULL" (or its format's word for it,
// diskcache's "never" expires: CacheFormat::nullCellWord) in grey italics — so that it differs
// from a cell holding the text "NULL". The models return these for Qt::FontRole and
// Qt::ForegroundRole. GUI thread.
namespace NullCell {

inline bool isNull(const QVariant& value)
{
    return !value.isValid() || value.isNull();
}

inline QFont font()
{
    QFont font;
    font.setItalic(true);
    return font;
}

} // namespace NullCell
