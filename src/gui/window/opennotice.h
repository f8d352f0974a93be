// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "models/activitysample.h"

#include <QObject>
#include <QString>

class Database;
class NoticeBanner;

// OpenNotice: what the notice banner says about the open cache — opened read-only and why, or
// converted to WAL when opened, with "Switch back to DELETE" — and the results of a journal
// switch. The offer to switch back holds only while nobody else has opened the cache since the
// conversion: each Activity sample that lists the processes having it open is checked, and the
// first other process withdraws the offer for good (named in the banner). GUI thread.
class OpenNotice : public QObject {
    Q_OBJECT
public:
    static constexpr int MaxCommandChars = 60; // of the command line naming the process that withdrew the offer

    explicit OpenNotice(NoticeBanner* banner, QObject* parent = nullptr);

    // The banner for what opening database did; hides it when there is nothing to say.
    void showOpened(const Database& database, const QString& readOnlyBecause);
    // The banner after a journal switch to mode: switched (the mode it is in now) or why not.
    void showSwitched(const Result<QString>& switched, const QString& mode, const QString& modeNow);
    void applySample(const ActivitySample& sample);
    void clear();
    bool offersSwitchBack() const { return !m_backTo.isEmpty(); }

Q_SIGNALS:
    void switchBackRequested(const QString& mode);

private:
    QString convertedText() const;

    NoticeBanner* m_banner;
    QString m_backTo; // the rollback mode "Switch back" returns to; empty: not offered
    QString m_withdrawnBy; // the process that opened the cache since, once one did
};
