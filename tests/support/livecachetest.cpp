// SPDX-License-Identifier: GPL-3.0-or-later
#include "livecachetest.h"

#include <QTest>

namespace TestSupport {

void LiveCacheTest::init()
{
    QVERIFY(m_live.create(m_rows));
}

void LiveCacheTest::cleanup()
{
    m_live.reset();
}

} // namespace TestSupport
