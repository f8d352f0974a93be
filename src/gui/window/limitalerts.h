// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>

struct ThresholdCrossing;

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

    // A crossing as the status line says it: short, so that it fits left of the cache's status at the default size
    // ("Limit crossed: the write lock was held 55% of the last 2.1 s, over the limit 50%"); whole in statusWhole.
    static QString statusText(const ThresholdCrossing& crossing);
    static QString statusWhole(const ThresholdCrossing& crossing);

Q_SIGNALS:
    // A crossing the desktop could not be told of (no system tray), for the status line: said when it is crossed,
    // then again as each sample moves its values — the same crossing of the same sample as the Overview's health
    // (#28: "52% of the last 2 s" there beside "55% of the last 2.1 s") — and empty once it clears. replaced: the
    // text it takes the place of (empty for a new crossing: whatever the line said); whole: the tooltip.
    void statusMessage(const QString& replaced, const QString& text, const QString& whole);

private:
    void follow(const QList<ThresholdCrossing>& active);

    ThresholdWatch* m_watch;
    DesktopNotifier* m_notifier;
    QString m_statusKey; // the crossing the status line speaks of (ThresholdCrossing::key); empty: none
    QString m_statusText;
};
