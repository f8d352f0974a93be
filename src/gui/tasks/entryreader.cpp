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
    if (sqlite3* running = m_shared->handle.load())
        sqlite3_interrupt(running); // only this destructor closes it, so it is still open here
    QMutexLocker lock(&m_shared->mutex); // waits for the read in progress
    m_shared->closed = true;
    m_shared->pager.reset();
    m_shared->database.reset();
    m_shared->handle = nullptr;
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
    pager = std::make_unique<EntryPager>(database.get(), view);
    pager->setFilter(filter);
    return pager.get();
}
