// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>

// Trash: moves files into the FreeDesktop.org trash (Trash specification 1.0) itself instead of
// QFile::moveToTrash, which in Qt 6.4 returns true after writing files/ and info/ into the
// current directory when it cannot set up a trash (that is how a test run left them at the
// repository root). A file goes to the home trash ($XDG_DATA_HOME/Trash, else
// ~/.local/share/Trash; both must be absolute) when it is on the same filesystem, otherwise to
// $topdir/.Trash-$uid of its own filesystem. Every path it writes is absolute and checked to be
// a real directory (no symbolic links); when no usable trash exists it says why and moves
// nothing. A rename, never a copy: a file is never half in the trash. Stateless; any thread.
class Trash {
public:
    // The trash directory (containing files/ and info/) a file at path would go to, created if
    // needed; an Error with the reason when there is none.
    static Result<QString> locationFor(const QString& path);
    // Writes info/NAME.trashinfo, then renames path to files/NAME (NAME made unique).
    // Returns the new path of the file.
    static Result<QString> move(const QString& path);
    // Undoes move(): renames the file back (never over an existing file) and drops its .trashinfo.
    static Status restore(const QString& inTrash, const QString& originalPath);
};
