// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entryindex.h"

using namespace Qt::Literals::StringLiterals;

Result<EntryIndex> EntryIndex::build(
    EntryPager& pager, int stride, const std::atomic_bool& cancel, const Progress& progress)
{
    EntryIndex index;
    index.stride = std::max(1, stride);
    auto first = pager.keyAfter({}, 1);
    if (!first)
        return first.error();
    if (!first.value())
        return index;
    QVariantList previous = *first.value();
    index.keys << previous;
    index.count = 1;
    for (;;) {
        if (cancel.load()) {
            index.cancelled = true;
            return index;
        }
        auto next = pager.keyAfter(previous, index.stride);
        if (!next)
            return next.error();
        if (!next.value())
            break;
        previous = *next.value();
        index.keys << previous;
        index.count += index.stride;
        if (progress)
            progress(index.count);
    }
    // Fewer than a stride of rows follow the last indexed key: count them and find the last.
    auto rest = pager.countAfter(previous, index.stride);
    if (!rest)
        return rest.error();
    index.count += rest.value();
    index.lastKey = previous;
    if (rest.value() > 0) {
        auto last = pager.keyAfter(previous, int(rest.value()));
        if (!last)
            return last.error();
        if (last.value())
            index.lastKey = *last.value();
    }
    return index;
}

Result<EntryIndex> EntryIndex::build(const QString& path, const QString& table, const EntryFilter& filter, int stride,
    const std::atomic_bool& cancel, const Progress& progress)
{
    auto db = Database::open(path, Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto pager = EntryPager::open(db->get(), table);
    if (!pager)
        return pager.error();
    pager->setFilter(filter);
    return build(pager.value(), stride, cancel, progress);
}
