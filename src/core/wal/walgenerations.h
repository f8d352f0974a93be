// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>

// WalGenerations: for each -wal generation (its header's salt-1/salt-2 pair, new at every reset
// and every new -wal file, docs/WAL.md §1) the last commit frame already counted, so a frame is
// counted once whichever fd reads it and however often. Bounded: the oldest generations are
// forgotten (they are never written again: a reset always draws a new salt-2). A plain value.
class WalGenerations {
public:
    static constexpr int MaxGenerations = 256;

    static quint64 key(quint32 salt1, quint32 salt2) { return (quint64(salt1) << 32) | salt2; }
    // The last commit frame counted in this generation (0: none yet).
    qint64 countedUpTo(quint64 generation) const { return m_counted.value(generation, 0); }
    bool known(quint64 generation) const { return m_counted.contains(generation); }
    void record(quint64 generation, qint64 lastCommitFrame)
    {
        if (!m_counted.contains(generation)) {
            m_order.append(generation);
            while (m_order.size() > MaxGenerations)
                m_counted.remove(m_order.takeFirst());
        }
        m_counted[generation] = std::max(m_counted.value(generation, 0), lastCommitFrame);
    }

private:
    QHash<quint64, qint64> m_counted;
    QList<quint64> m_order;
};
