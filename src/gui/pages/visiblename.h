// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// A name from the file as the user should see it on the Overview: elided in the middle, and
// control and bidirectional-override characters shown as \uXXXX, so a table called
// "rtl\u202Eexe.live" cannot pass for another.
QString visibleName(const QString& fullName);
