// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// A label's words as the tests write them, with plain spaces: the Activity page keeps every number with its unit by a
// no-break space (U+00A0, ActivityWording::keepUnits: "5.2 s" never breaks over two lines). tst_activitylayout checks
// that the U+00A0 is there; the other tests compare the words.
inline QString shownWords(const QString& text)
{
    QString words = text;
    words.replace(QChar(0x00A0), u' ');
    return words;
}

// A label's (or any widget's with a text(): a progress bar, an empty table's hint).
template <typename Shown> QString shownWords(const Shown* shown)
{
    return shownWords(shown->text());
}
