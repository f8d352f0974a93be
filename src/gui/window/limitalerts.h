// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class DesktopNotifier;
class QWidget;
class ThresholdWatch;

// LimitAlerts: the limits of Preferences at work on the open cache — the ThresholdWatch that holds
// them against each Activity sample (loaded from ThresholdSettings), the DesktopNotifier that says
// once when one is crossed, and Preferences (PreferencesDialog) that changes and saves them. The
// window feeds watch() and shows its active() list in the Overview's health. GUI thread.
class LimitAlerts : public QObject {
    Q_OBJECT
public:
    explicit LimitAlerts(QObject* parent = nullptr);
    ThresholdWatch* watch() const { return m_watch; }
    DesktopNotifier* notifier() const { return m_notifier; }
    void editPreferences(QWidget* parent); // modal; saved and applied on OK

Q_SIGNALS:
    void statusMessage(const QString& text); // a notification that found no system tray

private:
    ThresholdWatch* m_watch;
    DesktopNotifier* m_notifier;
};
