// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/preferencesdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include <climits>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace {
QSpinBox* spinBox(int minimum, int maximum, int value, const QString& suffix)
{
    auto* box = new QSpinBox;
    box->setRange(minimum, maximum);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}
} // namespace

PreferencesDialog::PreferencesDialog(const Thresholds& t, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Preferences"));
    setObjectName(u"preferencesDialog"_s);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("While a cache is open, a desktop notification says once when it crosses one of these "
                                "limits, and the Overview's health lists it until it clears. The names are those of "
                                "<code>cachescope-cli check</code>, which checks the same limits from cron or CI."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    layout->addLayout(form);
    setLayout(layout);

    m_walMiB = spinBox(1, 1 << 30, int(t.maxWalBytes.value_or(qint64(1) << 30) >> 20), tr(" MiB"));
    m_walOn = addLimit(Thresholds::MaxWalBytes, tr("WAL larger than"),
        tr("The -wal file beside the database holds the changes not yet copied back into it. It grows while "
           "checkpoints cannot keep up or a reader holds them back, and keeps its size until a TRUNCATE checkpoint."),
        m_walMiB, t.maxWalBytes.has_value());
    m_lagFrames
        = spinBox(0, INT_MAX, int(std::min<qint64>(t.maxCheckpointLagFrames.value_or(10000), INT_MAX)), tr(" frames"));
    m_lagOn = addLimit(Thresholds::MaxCheckpointLagFrames, tr("Frames waiting for the checkpoint over"),
        tr("A frame is one changed page (usually 4 KiB) written to the -wal. These are committed frames that no "
           "checkpoint has copied back into the database file yet; readers must look through all of them."),
        m_lagFrames, t.maxCheckpointLagFrames.has_value());
    m_pinnedS = new QDoubleSpinBox;
    m_pinnedS->setRange(0, 86400);
    m_pinnedS->setDecimals(0);
    m_pinnedS->setSuffix(tr(" s"));
    m_pinnedS->setValue(t.maxCheckpointPinnedS.value_or(600));
    m_pinnedOn = addLimit(Thresholds::MaxCheckpointPinnedS, tr("Checkpoint pinned by a reader for over"),
        tr("A process that keeps one read transaction open stops every checkpoint at the point it reads from "
           "(it pins it): until it ends the transaction, the -wal can only grow."),
        m_pinnedS, t.maxCheckpointPinnedS.has_value());
    m_busyPercent = spinBox(0, 100, int(std::lround(t.maxWriteLockBusy.value_or(0.8) * 100)), tr(" %"));
    m_busyOn = addLimit(Thresholds::MaxWriteLockBusy, tr("Write lock held (share of the last 10 s) over"),
        tr("Only one process can write at a time. When the write lock is held most of the time, writers queue: "
           "commits slow down and writers without a busy timeout fail with \"database is locked\"."),
        m_busyPercent, t.maxWriteLockBusy.has_value());
    m_expiredPercent = spinBox(0, 100, int(std::lround(t.maxExpiredRatio.value_or(0.5) * 100)), tr(" %"));
    m_expiredOn = addLimit(Thresholds::MaxExpiredRatio, tr("Expired entries over"),
        tr("Share of the entries whose expiry time has passed but which are still stored, counted when the "
           "Overview counts the entries (formats that keep an expiry time, such as diskcache)."),
        m_expiredPercent, t.maxExpiredRatio.has_value());
    m_warnings = new QCheckBox(tr("Notify every health warning too (without --no-warnings)"), this);
    m_warnings->setObjectName(u"warnings"_s);
    m_warnings->setToolTip(tr("The health warnings the Overview lists (a reader starving the checkpoint, writers "
                              "waiting for each other, …): each one notifies too, as `check` counts it as crossed "
                              "unless told --no-warnings."));
    m_warnings->setChecked(t.warnings);
    form->addRow(m_warnings);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QCheckBox* PreferencesDialog::addLimit(
    const char* name, const QString& text, const QString& why, QAbstractSpinBox* field, bool on)
{
    auto* box = new QCheckBox(u"%1 (--%2)"_s.arg(text, QString::fromLatin1(name)), this);
    box->setToolTip(why);
    field->setToolTip(why);
    box->setObjectName(QString::fromLatin1(name));
    field->setObjectName(QString::fromLatin1(name) + u"-value"_s);
    field->setParent(this);
    box->setChecked(on);
    field->setEnabled(on);
    connect(box, &QCheckBox::toggled, field, &QWidget::setEnabled);
    static_cast<QFormLayout*>(layout()->itemAt(1)->layout())->addRow(box, field);
    return box;
}

Thresholds PreferencesDialog::thresholds() const
{
    Thresholds t;
    if (m_walOn->isChecked())
        t.maxWalBytes = qint64(m_walMiB->value()) << 20;
    if (m_lagOn->isChecked())
        t.maxCheckpointLagFrames = m_lagFrames->value();
    if (m_pinnedOn->isChecked())
        t.maxCheckpointPinnedS = m_pinnedS->value();
    if (m_busyOn->isChecked())
        t.maxWriteLockBusy = m_busyPercent->value() / 100.0;
    if (m_expiredOn->isChecked())
        t.maxExpiredRatio = m_expiredPercent->value() / 100.0;
    t.warnings = m_warnings->isChecked();
    return t;
}
