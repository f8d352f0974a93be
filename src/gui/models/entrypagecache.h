// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"
#include "tasks/latesttask.h"

#include <QMap>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

class EntryReader;

// EntryPageCache: the pages of rows an EntryModel has read, by page number (table position /
// PageRows), in a bounded LRU cache, so memory stays flat however far the view scrolls. A page
// the view wants that is missing, or stale and on screen, is read off the GUI thread through
// the EntryReader: one read at a time, the most recently wanted page first, planned once per
// paint. How a page is read (from the index's key, after the previous page, from an
// interpolated rowid, or the tail backwards) is planned by the model, which knows where rows
// are. Rows from before a change by another process stay shown (stale) until read again.
// GUI thread; the reader is the model's.
class EntryPageCache : public QObject {
    Q_OBJECT
public:
    static constexpr int PageRows = 256;
    static constexpr int MaxCachedPages = 48;

    struct Page {
        EntryPage page;
        quint64 lastUse = 0;
        bool pending = true; // not read yet
        bool stale = false; // read before the cache last changed: shown, and read again when on screen
        QString error; // the read failed (not retried until the cache changes)
    };
    // How a page is read. Decided on the GUI thread, run on the reader.
    struct Request {
        enum class Kind { First, From, After, Last } kind = Kind::First;
        QVariantList key;
        int rows = 0;
    };
    // Plans the read of page `number`; nullopt while it cannot be placed yet (asked again later).
    using Planner = std::function<std::optional<Request>(int number)>;

    explicit EntryPageCache(Planner planner, QObject* parent = nullptr);

    // Forgets every page; a read still running is dropped when it arrives. Later pages are
    // read through `reader`.
    void reset(const EntryReader* reader);
    // The page, now the most recently used; a missing one is added pending and read soon.
    const Page& want(int number);
    // The page if cached, without touching it; nullptr otherwise.
    const Page* find(int number) const;
    // A page the model read itself (the first page, the next one of a chain).
    void insert(int number, const EntryPage& page);
    // Another process changed the cache: every page read is stale, errors are forgotten.
    void markAllStale();
    // One page read is stale (the partial tail page when rows were appended).
    void markStale(int number);
    int size() const { return int(m_pages.size()); }
    // The reads since the last reset(): a result read for a token no longer current is dropped
    // by the model too.
    const CancelToken& reads() const { return m_reads.current(); }
    bool isCurrent(const CancelToken& reads) const { return m_reads.isCurrent(reads); }

Q_SIGNALS:
    // The read of page `number` arrived: its rows (ok) or its error are in.
    void pageRead(int number, bool ok);

private:
    void readNext();
    void apply(const CancelToken& reads, const CancelToken& content, int number, const Result<EntryPage>& read);

    Planner m_planner;
    const EntryReader* m_reader = nullptr;
    QMap<int, Page> m_pages;
    quint64 m_useClock = 0;
    QTimer m_readTimer; // started by want() for a page to read; fires once per paint
    bool m_reading = false; // one page read at a time, the most recently wanted first
    LatestTask m_reads; // superseded by each reset (filter, model): reads from before are dropped
    LatestTask m_content; // superseded by each change by another process: reads from before are stale
    quint64 m_staleSince = 0; // use clock at the last change: stale pages touched since are on screen
};
