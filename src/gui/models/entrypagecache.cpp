// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/entrypagecache.h"

#include "tasks/entryreader.h"

using namespace Qt::Literals::StringLiterals;

EntryPageCache::EntryPageCache(Planner planner, QObject* parent)
    : QObject(parent)
    , m_planner(std::move(planner))
{
    m_readTimer.setSingleShot(true);
    m_readTimer.setInterval(0);
    connect(&m_readTimer, &QTimer::timeout, this, &EntryPageCache::readNext);
}

void EntryPageCache::reset(const EntryReader* reader)
{
    m_pages.clear();
    m_reads.start();
    m_reading = false; // a read still running is dropped when it arrives
    m_reader = reader;
}

const EntryPageCache::Page& EntryPageCache::want(int number)
{
    auto it = m_pages.find(number);
    if (it == m_pages.end()) {
        while (m_pages.size() >= MaxCachedPages) {
            auto oldest = std::min_element(
                m_pages.begin(), m_pages.end(), [](const Page& a, const Page& b) { return a.lastUse < b.lastUse; });
            m_pages.erase(oldest);
        }
        it = m_pages.insert(number, Page {});
    }
    it->lastUse = ++m_useClock;
    if (((it->pending && it->error.isEmpty()) || it->stale) && !m_readTimer.isActive())
        m_readTimer.start(); // after this paint: every page it wanted is known by then
    return *it;
}

const EntryPageCache::Page* EntryPageCache::find(int number) const
{
    const auto it = m_pages.constFind(number);
    return it == m_pages.cend() ? nullptr : &*it;
}

void EntryPageCache::insert(int number, const EntryPage& page)
{
    m_pages.insert(number, Page { page, ++m_useClock, false, false, {} });
}

void EntryPageCache::markAllStale()
{
    m_content.start();
    m_staleSince = m_useClock;
    for (Page& cached : m_pages) {
        cached.stale = !cached.pending;
        cached.error.clear();
    }
}

void EntryPageCache::markStale(int number)
{
    auto it = m_pages.find(number);
    if (it != m_pages.end())
        it->stale = !it->pending;
}

void EntryPageCache::readNext()
{
    if (m_reading || !m_reader)
        return;
    // The most recently wanted page that is missing, or stale and on screen since the change.
    int number = -1;
    quint64 newest = 0;
    std::optional<Request> request;
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
        const bool wanted = (it->pending && it->error.isEmpty()) || (it->stale && it->lastUse > m_staleSince);
        if (!wanted || it->lastUse < newest)
            continue;
        if (auto candidate = m_planner(it.key())) {
            number = it.key();
            newest = it->lastUse;
            request = candidate;
        }
    }
    if (!request)
        return;
    m_reading = true;
    const CancelToken reads = m_reads.current();
    const CancelToken content = m_content.current();
    m_reader->read<EntryPage>(
        this,
        [request = *request](EntryPager& pager) -> Result<EntryPage> {
            switch (request.kind) {
            case Request::Kind::First:
                return pager.first(request.rows);
            case Request::Kind::From:
                return pager.from(request.key, request.rows);
            case Request::Kind::After:
                return pager.after(request.key, request.rows);
            case Request::Kind::Last:
                return pager.last(request.rows);
            }
            return Error { Error::Kind::Other, u"unknown page request"_s };
        },
        [this, reads, content, number](Result<EntryPage> read) { apply(reads, content, number, read); });
}

void EntryPageCache::apply(
    const CancelToken& reads, const CancelToken& content, int number, const Result<EntryPage>& read)
{
    if (!m_reads.isCurrent(reads))
        return; // reset() forgot it; a read for the new filter may be running now
    m_reading = false;
    auto it = m_pages.find(number);
    if (it != m_pages.end()) {
        if (read) {
            it->page = read.value();
            it->pending = false;
            it->error.clear();
            it->stale = !m_content.isCurrent(content); // the cache changed while it was read
        } else {
            it->error = read.error().message;
            it->stale = false;
        }
    }
    Q_EMIT pageRead(number, bool(read));
    readNext();
}
