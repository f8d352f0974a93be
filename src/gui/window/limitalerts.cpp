// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/limitalerts.h"

#include "dialogs/preferencesdialog.h"
#include "models/thresholdwatch.h"
#include "window/desktopnotifier.h"
#include "window/thresholdsettings.h"

#include <QFileInfo>

LimitAlerts::LimitAlerts(QObject* parent)
    : QObject(parent)
    , m_watch(new ThresholdWatch(this))
    , m_notifier(new DesktopNotifier(this))
{
    m_watch->setThresholds(ThresholdSettings::load());
    connect(m_notifier, &DesktopNotifier::unavailable, this, &LimitAlerts::statusMessage);
    connect(m_watch, &ThresholdWatch::crossed, this, [this](const ThresholdCrossing& crossing) {
        m_notifier->notify(
            tr("%1: limit crossed").arg(QFileInfo(crossing.path).fileName()), ThresholdWatch::inWords(crossing));
    });
}

void LimitAlerts::editPreferences(QWidget* parent)
{
    PreferencesDialog dialog(m_watch->thresholds(), parent);
    if (dialog.exec() != QDialog::Accepted)
        return;
    ThresholdSettings::save(dialog.thresholds());
    m_watch->setThresholds(dialog.thresholds());
}
