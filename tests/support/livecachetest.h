// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "livecache.h"

#include <QObject>

namespace TestSupport {

// LiveCacheTest: the base of a test class each of whose test functions gets a fresh live
// cache (LiveCache: cache.db with `rows` rows, in WAL mode) and the Python children it starts
// to hold or write it; after each function the children are stopped and the directory goes.
class LiveCacheTest : public QObject {
    Q_OBJECT
public:
    explicit LiveCacheTest(int rows = 5)
        : m_rows(rows)
    {
    }

protected:
    QString db() const { return m_live.db(); }
    // Starts a child running script and waits until it prints "ready"; nullptr if it never does.
    PythonChild* start(const char* script, const QStringList& args) { return m_live.start(script, args); }
    // The cache held open (its -wal and -shm stay), a reader whose read transaction pins the
    // -wal, then `commits` commits written past it with a checkpoint every 100 pages (which
    // cannot pass the reader): the reader, or nullptr when a child did not start.
    PythonChild* startPinningReader(int commits = 1200);
    LiveCache m_live;

private Q_SLOTS:
    void init();
    void cleanup();

private:
    int m_rows;
};

} // namespace TestSupport
