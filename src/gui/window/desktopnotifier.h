// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QSystemTrayIcon;

// DesktopNotifier: says something to the user outside the window — a system tray balloon
// (QSystemTrayIcon::showMessage, which the desktop shows as a notification) — or, where there is
// no system tray, says so: notify() returns false, and the caller says it in the window (LimitAlerts: the status
// line). The tray icon is shown only while a notification may be needed. GUI thread.
class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    explicit DesktopNotifier(QObject* parent = nullptr);
    bool notify(const QString& title, const QString& message); // false: no system tray to show it
    int notified() const { return m_notified; } // notifications asked for (tests)

private:
    QSystemTrayIcon* m_tray = nullptr;
    int m_notified = 0;
};
