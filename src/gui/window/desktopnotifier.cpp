// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/desktopnotifier.h"

#include <QApplication>
#include <QSystemTrayIcon>

DesktopNotifier::DesktopNotifier(QObject* parent)
    : QObject(parent)
{
}

bool DesktopNotifier::notify(const QString& title, const QString& message)
{
    ++m_notified;
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return false;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("CacheScope"));
    }
    m_tray->show();
    m_tray->showMessage(title, message, QSystemTrayIcon::Warning);
    return true;
}
