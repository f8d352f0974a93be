// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entriesstatustext.h"

#include "common/format.h"
#include "models/entrymodel.h"
#include "models/fanoutentrymodel.h"
#include "sqlite/database.h"

using namespace Qt::Literals::StringLiterals;

QString EntriesStatusText::of(const EntryTableModel* model, const Database* database, const QString& subCache)
{
    if (!model)
        return QString();
    if (!model->errorText().isEmpty())
        return model->errorText();
    if (model->isFiltering() && model->filter().isEmpty())
        return tr("%1 — reading the first rows…").arg(Format::shortName(model->view().table));
    if (model->isFiltering())
        return tr("%1 — filtering… (the window stays usable; type on to change the filter)")
            .arg(Format::shortName(model->view().table));
    const QString count
        = model->isCountExact() ? Format::count(model->totalCount()) : u"≈"_s + Format::count(model->totalCount());
    const EntryView& view = model->view();
    // How new rows reach the view: as other processes write them, or not at all from a snapshot.
    const QString follows = database && (database->readsImmutable() || database->sqlitePath() != database->path())
        ? tr("a snapshot: reopened live once another process opens the cache")
        : tr("new rows appear as they are written");
    const bool one = model->isCountExact() && model->totalCount() == 1; // an estimate ("≈1") stays plural
    QString entries = one ? tr("1 entry") : tr("%1 entries").arg(count);
    const EntryFilter& filter = model->filter();
    const auto table = model->unfilteredCount();
    if ((!filter.text.isEmpty() || !filter.columns.isEmpty()) && table) {
        // A search: how many of the table's entries it matches (not "0 entries" above the table's 10).
        const QString of = table->exact ? Format::count(table->count) : u"≈"_s + Format::count(table->count);
        const bool oneOfOne = table->exact && table->count == 1;
        entries = (one ? tr("%1 of %2 entries matches") : tr("%1 of %2 entries match")).arg(count, of);
        if (oneOfOne)
            entries = one ? tr("1 of 1 entry matches") : tr("%1 of 1 entry match").arg(count);
        if (filter.expiry == EntryFilter::Expiry::ExpiredOnly)
            entries += one ? tr(" and has expired") : tr(" and have expired");
        else if (filter.expiry == EntryFilter::Expiry::LiveOnly)
            entries += one ? tr(" and has not expired") : tr(" and have not expired");
    } else if (filter.expiry == EntryFilter::Expiry::ExpiredOnly) {
        entries = one ? tr("1 expired entry") : tr("%1 expired entries").arg(count);
    } else if (filter.expiry == EntryFilter::Expiry::LiveOnly) {
        entries = one ? tr("1 entry not expired") : tr("%1 entries not expired").arg(count);
    }
    if (model->windowCount() > 1)
        entries += tr("; rows %1–%2 shown, %3 at a time")
                       .arg(Format::count(model->windowStart() + 1),
                           Format::count(model->windowStart() + model->rowCount()), Format::count(model->windowRows()));
    if (const auto* fanout = qobject_cast<const FanoutEntryModel*>(model))
        entries
            += tr(" in %1 of the FanoutCache").arg(Format::counted(fanout->shardCount(), tr("shard"), tr("shards")));
    else if (!subCache.isEmpty())
        entries += tr(" in the FanoutCache's sub-cache %1").arg(subCache);
    if (view.omittedColumns > 0)
        return tr("%1 — %2 (%3; columns %4–%5 of %6 shown, %7 at a time; %8)")
            .arg(Format::shortName(view.table), view.profile, entries)
            .arg(Format::count(view.firstColumn + 1), Format::count(view.firstColumn + view.columns.size()),
                Format::count(view.totalColumns()), Format::count(EntryView::MaxColumns), follows);
    return tr("%1 — %2 (%3; %4)").arg(Format::shortName(view.table), view.profile, entries, follows);
}

QString EntriesStatusText::emptyText(const EntryTableModel* model)
{
    if (!model || model->isFiltering() || !model->errorText().isEmpty())
        return QString(); // reading, or the footer says why it could not
    const EntryFilter& filter = model->filter();
    QStringList searched;
    if (!filter.text.isEmpty())
        searched << tr("“%1”").arg(filter.text);
    for (auto it = filter.columns.cbegin(); it != filter.columns.cend(); ++it)
        searched << tr("“%1” in %2").arg(it.value(), model->view().columns.value(it.key()).name);
    const QString expiry = filter.expiry == EntryFilter::Expiry::ExpiredOnly ? tr("expired ")
        : filter.expiry == EntryFilter::Expiry::LiveOnly                     ? tr("unexpired ")
                                                                             : QString();
    if (!searched.isEmpty())
        return tr("No %1entry matches %2.\nClear the search to see every entry.")
            .arg(expiry, searched.join(tr(" and ")));
    if (!expiry.isEmpty())
        return filter.expiry == EntryFilter::Expiry::ExpiredOnly ? tr("No entry has expired.")
                                                                 : tr("Every entry has expired.");
    return tr("This table has no entries.");
}
