// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/thresholds.h"

#include <QDialog>

class QAbstractSpinBox;
class QCheckBox;
class QDoubleSpinBox;
class QSpinBox;

// PreferencesDialog: the limits a notification is given for while a cache is open, each under the
// name of the `cachescope-cli check` option that checks the same (so a limit tried in the GUI can
// go into a cron job as it is): a check box turns it on, the field sets it. GUI thread.
class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(const Thresholds& thresholds, QWidget* parent = nullptr);
    Thresholds thresholds() const;

private:
    // One limit's row: its check box (named after the option) and its field, both explaining the
    // measure in plain words (why) as their tool tip.
    QCheckBox* addLimit(const char* name, const QString& text, const QString& why, QAbstractSpinBox* field, bool on);

    QCheckBox* m_walOn;
    QSpinBox* m_walMiB;
    QCheckBox* m_lagOn;
    QSpinBox* m_lagFrames;
    QCheckBox* m_pinnedOn;
    QDoubleSpinBox* m_pinnedS;
    QCheckBox* m_busyOn;
    QSpinBox* m_busyPercent;
    QCheckBox* m_expiredOn;
    QSpinBox* m_expiredPercent;
    QCheckBox* m_warnings;
};
