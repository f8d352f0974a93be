// SPDX-License-Identifier: GPL-3.0-or-later
#include "tasks/entryreader.h"

#include <sqlite3.h>

EntryReader::EntryReader(const QString& path, const EntryView& view, const EntryFilter& filter)
    : m_shared(std::make_shared<Shared>())
{
    m_shared->path = path;
    m_shared->view = view;
    m_shared->filter = filter;
}

EntryReader::~EntryReader()
{
    // Closed first: a read that opens the connection from now on sees it (pagerOrError publishes
    // the handle before it looks), and one that opened it before has published the handle,
    // interrupted here. Only this destructor (under the mutex) or the Shared's own destruction,
    // which this reader's reference still prevents, closes the connection: the handle is open.
    m_shared->closed = true;
    if (sqlite3* running = m_shared->handle.load())
        sqlite3_interrupt(running);
    if (!m_shared->mutex.tryLock())
        return; // a read runs: its task holds the Shared, and the connection goes with the last such task
    m_shared->pager.reset();
    m_shared->database.reset();
    m_shared->handle = nullptr;
    m_shared->mutex.unlock();
}

Result<EntryPager*> EntryReader::Shared::pagerOrError()
{
    if (closed)
        return Error { Error::Kind::Other, QStringLiteral("the table view was closed") };
    if (pager)
        return pager.get();
    // A failed open (a lock held a moment too long) is tried again by the next read: a page
    // that failed is read again once the cache changes, so this is not a loop.
    auto opened = Database::open(path, Database::Mode::ReadOnly);
    if (!opened)
        return opened.error();
    database = std::move(opened.value());
    handle = database->handle();
    if (closed) // the reader went while the open ran (it may take a while: a private copy)
        return Error { Error::Kind::Other, QStringLiteral("the table view was closed") };
    pager = std::make_unique<EntryPager>(database.get(), view);
    pager->setFilter(filter);
    return pager.get();
}
