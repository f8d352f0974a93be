// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

// OpeningPage: the page shown while a cache is on its way — being opened by a worker, waited
// for while another process holds it, or switched to another journal mode. Its path is
// elided by nothing and never widens the window. GUI thread.
class OpeningPage : public QLabel {
    Q_OBJECT
public:
    explicit OpeningPage(QWidget* parent = nullptr);

    void showOpening(const QString& path);
    void showWaiting(const QString& path); // another process holds it: the error banner says who
    void showSwitching(const QString& mode, const QString& path);
};
