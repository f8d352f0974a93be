// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sqlite/database.h"

class MainWindow;

// FirstFrame: the main window's first appearance with a cache given at launch. The open starts
// before the window is shown, and the window appears once the tab it shows has its content (the
// Entries' first rows, the Overview's summary) or the open failed — at most GraceMs after the
// start. A small cache is drawn with its rows in the window's first frame, not as an empty
// "Opening…" page filled a moment later; a big, slow or locked one shows the window (and its
// "Opening…" page) after GraceMs. The grace is a wait for the first frame, not a stall: nothing
// is on screen yet, and the event loop runs throughout. GUI thread.
namespace FirstFrame {
constexpr int GraceMs = 300;
// Opens path in window, then shows the window as above; returns once it is shown.
void openAndShow(MainWindow& window, const QString& path, Database::Mode mode, int graceMs = GraceMs);
} // namespace FirstFrame
