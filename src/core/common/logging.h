// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// CacheScope's logging categories (Qt's convention: QT_LOGGING_RULES="cachescope.*=true" shows
// them all). Each says what it carries and at which level; none is on below warnings unless a
// program or the user turns it on.

// cachescope.database: how a cache was opened when that is not the plain way — a private copy
// of a -wal or -journal left behind, an immutable read and why (info). The CLI prints these as
// "note: …" on stderr; the GUI shows them in its status line from Database::notes().
Q_DECLARE_LOGGING_CATEGORY(lcDatabase)
