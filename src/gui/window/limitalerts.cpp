// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/limitalerts.h"

#include "dialogs/preferencesdialog.h"
#include "models/thresholdwatch.h"
#include "window/desktopnotifier.h"
#include "window/thresholdsettings.h"

#include <QFileInfo>

#include <utility>

LimitAlerts::LimitAlerts(QObject* parent)
    : QObject(parent)
    , m_watch(new ThresholdWatch(this))
    , m_notifier(new DesktopNotifier(this))
{
    m_watch->setThresholds(ThresholdSettings::load());
    connect(m_watch, &ThresholdWatch::crossed, this, [this](const ThresholdCrossing& crossing) {
        if (m_notifier->notify(
                tr("%1: limit crossed").arg(QFileInfo(crossing.path).fileName()), ThresholdWatch::inWords(crossing)))
            return;
        m_statusKey = crossing.key();
        m_statusText = statusText(crossing);
        Q_EMIT statusMessage(QString(), m_statusText, statusWhole(crossing));
    });
    // After crossed(): the watch announces a crossing before it lists it.
    connect(m_watch, &ThresholdWatch::activeChanged, this, &LimitAlerts::follow);
}

void LimitAlerts::follow(const QList<ThresholdCrossing>& active)
{
    if (m_statusKey.isEmpty())
        return;
    for (const ThresholdCrossing& crossing : active) {
        if (crossing.key() != m_statusKey)
            continue;
        const QString text = statusText(crossing);
        if (text != m_statusText)
            Q_EMIT statusMessage(std::exchange(m_statusText, text), text, statusWhole(crossing));
        return;
    }
    // Cleared (or another cache): the message goes with what it was about.
    m_statusKey.clear();
    Q_EMIT statusMessage(std::exchange(m_statusText, QString()), QString(), QString());
}

QString LimitAlerts::statusText(const ThresholdCrossing& crossing)
{
    return tr("Limit crossed: %1").arg(crossing.description);
}

QString LimitAlerts::statusWhole(const ThresholdCrossing& crossing)
{
    return tr("%1: limit crossed: %2 (no system tray to show a desktop notification)")
        .arg(QFileInfo(crossing.path).fileName(), ThresholdWatch::inWords(crossing));
}

void LimitAlerts::editPreferences(QWidget* parent)
{
    PreferencesDialog dialog(m_watch->thresholds(), parent);
    if (dialog.exec() != QDialog::Accepted)
        return;
    ThresholdSettings::save(dialog.thresholds());
    m_watch->setThresholds(dialog.thresholds());
}
