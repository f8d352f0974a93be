// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QSystemTrayIcon;

// DesktopNotifier: says something to the user outside the window — a system tray balloon
// (QSystemTrayIcon::showMessage, which the desktop shows as a notification) — or, where there is
// no system tray, says so: unavailable() carries the message with that reason, for the status
// line. The tray icon is shown only while a notification may be needed. GUI thread.
class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    explicit DesktopNotifier(QObject* parent = nullptr);
    void notify(const QString& title, const QString& message);
    int notified() const { return m_notified; } // notifications asked for (tests)

Q_SIGNALS:
    void unavailable(const QString& statusText);

private:
    QSystemTrayIcon* m_tray = nullptr;
    int m_notified = 0;
};
