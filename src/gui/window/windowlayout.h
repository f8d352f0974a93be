// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QMainWindow;
class QTabWidget;

// WindowLayout: what the window remembers between runs (QSettings): its geometry, the tab shown
// and every splitter's sizes, each splitter named by the tab that holds it (two pages may each
// call theirs "splitter"). GUI thread.
namespace WindowLayout {

void restore(QMainWindow* window, QTabWidget* tabs);
void save(const QMainWindow* window, const QTabWidget* tabs);

} // namespace WindowLayout
