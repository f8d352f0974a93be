// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

// ErrorBanner: the red strip above the pages saying why an open failed (and which cache is
// still open), or why the window waits for a cache another process holds. Hidden until there is
// something to say; the window hides it when a cache opens. GUI thread.
class ErrorBanner : public QLabel {
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget* parent = nullptr);

    void showMessage(const QString& message);
    QString message() const; // empty when hidden
};
