// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/walgrowth.h"

#include "common/format.h"

#include <algorithm>
#include <cstdlib>

void WalGrowth::start()
{
    m_clock.start();
}

void WalGrowth::clear()
{
    m_history.clear();
}

void WalGrowth::add(qint64 walBytes)
{
    const qint64 now = m_clock.isValid() ? m_clock.elapsed() : 0;
    m_history.append({ now, std::max<qint64>(0, walBytes) });
    while (m_history.size() > 2 && now - m_history.first().first > 60000)
        m_history.removeFirst();
}

QString WalGrowth::text() const
{
    if (m_history.size() < 2 || m_history.last().first - m_history.first().first < 900)
        return QString();
    const qint64 grown = m_history.last().second - m_history.first().second;
    const qint64 seconds = (m_history.last().first - m_history.first().first + 500) / 1000;
    if (grown == 0)
        return tr("unchanged in the last %1 s").arg(seconds);
    return (grown > 0 ? tr("+%1 in the last %2 s") : tr("−%1 in the last %2 s"))
        .arg(Format::bytesNoBreak(std::abs(grown)))
        .arg(seconds);
}
