// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tasks/latesttask.h"

#include <QObject>
#include <QTimer>
#include <QVariant>
#include <QVariantList>

class Database;
class EntryReader;

// EntryFollower: what other processes do to an EntryModel's table while it is shown. It polls
// `PRAGMA data_version` (which changes when another connection commits; one short statement on
// the GUI thread's Database, which never waits for a lock: a busy cache is polled again on the
// next tick) on a timer, and counts the rows appended after the last known key
// on the model's EntryReader (off the GUI thread, at most LiveAppendCap), one count at a time:
// a count asked for while one runs is made again once it is in. GUI thread; the Database must
// outlive it.
class EntryFollower : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 LiveAppendCap = 1000000;
    struct Tail {
        qint64 added = 0;
        QVariantList newEnd;
    };

    explicit EntryFollower(Database* database, QObject* parent = nullptr);

    // Remembers the current data_version: later commits are changes.
    void rememberVersion();
    // Polls every intervalMs (0 stops).
    void setInterval(int intervalMs);
    // One poll now: true when another connection committed since the last one.
    bool poll();
    // Counts the rows after `from`; appended() reports them unless restart() comes first.
    void countAfter(const EntryReader& reader, const QVariantList& from);
    // A new reader (filter, model): counts still running are dropped.
    void restart();

Q_SIGNALS:
    void pollDue();
    void appended(const QVariantList& from, const EntryFollower::Tail& tail);
    // A count was asked for while one ran: ask again, from the key known now.
    void countAgain();

private:
    Database* m_database;
    QVariant m_dataVersion;
    QTimer m_timer;
    bool m_counting = false;
    bool m_again = false;
    LatestTask m_task;
};
