// SPDX-License-Identifier: GPL-3.0-or-later
#include "livecachetest.h"

#include "writerscripts.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace TestSupport {

void LiveCacheTest::init()
{
    QVERIFY(m_live.create(m_rows));
}

void LiveCacheTest::cleanup()
{
    m_live.reset();
}

PythonChild* LiveCacheTest::startPinningReader(int commits)
{
    if (!start(WriterScripts::holdOpen, { db() }))
        return nullptr;
    exec(db(), u"INSERT INTO entries(key) VALUES('x')"_s);
    PythonChild* reader = start(WriterScripts::holdReadTransaction, { db() });
    if (!reader
        || !start(
            WriterScripts::writeCommits, { db(), QString::number(commits), u"1"_s, u"50"_s, u"none"_s, u"100"_s }))
        return nullptr;
    return reader;
}

} // namespace TestSupport
