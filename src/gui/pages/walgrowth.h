// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QList>
#include <QPair>
#include <QString>

// WalGrowth: how much the -wal grew over the last minute, from the sizes the Overview shows
// (each second for a local cache, with each `info` for a remote one). A -wal that only grows
// means checkpoints never complete (a reader pins it, or nobody runs them). A value with a
// clock of its own, no timers; GUI thread.
class WalGrowth {
    Q_DECLARE_TR_FUNCTIONS(WalGrowth)
public:
    void start(); // a cache was opened: the clock starts
    void clear();
    // The -wal's size now (-1: absent, counted as 0 bytes).
    void add(qint64 walBytes);
    // "+1.5 MiB in the last 60 s", "unchanged in the last 3 s"; empty before about a second of history.
    QString text() const;

private:
    QList<QPair<qint64, qint64>> m_history; // (ms of m_clock, -wal bytes), the last minute
    QElapsedTimer m_clock;
};
