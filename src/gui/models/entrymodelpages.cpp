// SPDX-License-Identifier: GPL-3.0-or-later
// EntryModel's page cache: which page a view wants, how it is read (from the index's key,
// after the previous page, from an interpolated rowid, or the tail backwards), and reading it
// off the GUI thread through the EntryReader, the most recently wanted page first. Rows from
// before a change by another process stay shown (stale) until read again. The rest of the
// model (counting, the index, live rows, display) is in entrymodel.cpp.
#include "models/entrymodel.h"

using namespace Qt::Literals::StringLiterals;

std::optional<EntryRow> EntryModel::rowAt(int row) const
{
    if (!m_pager || row < 0 || row >= rowCount())
        return std::nullopt;
    const qint64 at = m_windowStart + row; // position in the table
    const CachedPage& cached = page(int(at / PageRows));
    const int offset = int(at % PageRows);
    if (cached.pending || offset >= cached.page.rows.size())
        return std::nullopt;
    return cached.page.rows.at(offset);
}

void EntryModel::readEntry(int row, qint64 maxLength, QObject* context, std::function<void(Result<WholeEntry>)> done,
    std::function<QString(const QVariantMap&)> render) const
{
    const auto entry = rowAt(row);
    if (!entry || !m_reader) {
        done(Error { Error::Kind::NotFound, tr("row %1 is not read yet").arg(row + 1) });
        return;
    }
    const QVariantList key = entry->key;
    m_reader->read<WholeEntry>(
        context,
        [key, maxLength, render = std::move(render)](EntryPager& pager) -> Result<WholeEntry> {
            WholeEntry whole;
            auto values = pager.entry(key, maxLength, &whole.cutLengths);
            if (!values)
                return values.error();
            whole.values = values.value();
            if (render)
                whole.rendered = render(whole.values);
            return whole;
        },
        std::move(done));
}

const EntryModel::CachedPage& EntryModel::page(int number) const
{
    auto it = m_pages.find(number);
    if (it == m_pages.end()) {
        while (m_pages.size() >= MaxCachedPages) {
            auto oldest = std::min_element(m_pages.begin(), m_pages.end(),
                [](const CachedPage& a, const CachedPage& b) { return a.lastUse < b.lastUse; });
            m_pages.erase(oldest);
        }
        it = m_pages.insert(number, CachedPage {});
    }
    it->lastUse = ++m_useClock;
    if (((it->pending && it->error.isEmpty()) || it->stale) && !m_pageReadTimer.isActive())
        m_pageReadTimer.start(); // after this paint: every page it wanted is known by then
    return *it;
}

std::optional<EntryModel::PageRequest> EntryModel::requestFor(int number) const
{
    using Kind = PageRequest::Kind;
    if (m_index && number < m_index->keys.size())
        return PageRequest { Kind::From, m_index->keys[number], PageRows };
    if (number == 0)
        return PageRequest { Kind::First, {}, PageRows };
    auto previous = m_pages.constFind(number - 1);
    if (previous != m_pages.cend() && !previous->pending && !previous->stale && previous->page.rows.size() == PageRows)
        return PageRequest { Kind::After, previous->page.rows.last().key, PageRows };
    if (m_minRowid && !m_index)
        return PageRequest { Kind::From, { *m_minRowid + qint64(number) * PageRows }, PageRows };
    const qint64 start = qint64(number) * PageRows;
    if (m_count - start <= PageRows)
        return PageRequest { Kind::Last, {}, int(m_count - start) }; // the tail, read backwards from the end
    return std::nullopt; // the index has not reached this position yet: asked again when it has
}

void EntryModel::readNextPage()
{
    if (m_pageReading || !m_reader)
        return;
    // The most recently wanted page that is missing, or stale and on screen since the change.
    int number = -1;
    quint64 newest = 0;
    std::optional<PageRequest> request;
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
        const bool wanted = (it->pending && it->error.isEmpty()) || (it->stale && it->lastUse > m_staleSince);
        if (!wanted || it->lastUse < newest)
            continue;
        if (auto candidate = requestFor(it.key())) {
            number = it.key();
            newest = it->lastUse;
            request = candidate;
        }
    }
    if (!request)
        return;
    m_pageReading = true;
    const quint64 reset = m_resetGeneration;
    const quint64 content = m_contentGeneration;
    m_reader->read<EntryPage>(
        this,
        [request = *request](EntryPager& pager) -> Result<EntryPage> {
            switch (request.kind) {
            case PageRequest::Kind::First:
                return pager.first(request.rows);
            case PageRequest::Kind::From:
                return pager.from(request.key, request.rows);
            case PageRequest::Kind::After:
                return pager.after(request.key, request.rows);
            case PageRequest::Kind::Last:
                return pager.last(request.rows);
            }
            return Error { Error::Kind::Other, u"unknown page request"_s };
        },
        [this, reset, content, number](Result<EntryPage> read) { applyPage(reset, content, number, read); });
}

void EntryModel::applyPage(quint64 reset, quint64 content, int number, const Result<EntryPage>& read)
{
    if (reset != m_resetGeneration)
        return; // dropPages() forgot it; a read for the new filter may be running now
    m_pageReading = false;
    auto it = m_pages.find(number);
    if (it != m_pages.end()) {
        if (read) {
            it->page = read.value();
            it->pending = false;
            it->error.clear();
            it->stale = content != m_contentGeneration; // the cache changed while it was read
        } else {
            it->error = read.error().message;
            it->stale = false;
        }
        // Its rows in the window, if any.
        const qint64 first = std::max<qint64>(0, qint64(number) * PageRows - m_windowStart);
        const qint64 last = std::min<qint64>(rowCount(), qint64(number + 1) * PageRows - m_windowStart) - 1;
        if (last >= first) {
            Q_EMIT dataChanged(index(int(first), 0), index(int(last), columnCount() - 1));
            Q_EMIT pageLoaded(int(first), int(last));
        }
        continueLocate();
    }
    if (m_indexAfterFirstPage && read && !m_indexing)
        startIndex(); // the first rows are shown: now the walk over the table may begin
    readNextPage();
}

void EntryModel::markPagesStale()
{
    ++m_contentGeneration;
    m_staleSince = m_useClock;
    for (CachedPage& cached : m_pages) {
        cached.stale = !cached.pending;
        cached.error.clear();
    }
}

void EntryModel::dropPages()
{
    m_pages.clear();
    ++m_resetGeneration;
    m_pageReading = false; // a read still running is dropped when it arrives
}
