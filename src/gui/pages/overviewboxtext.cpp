// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/overviewboxtext.h"

#include "common/format.h"
#include "pages/visiblename.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

QString OverviewBoxText::journalText(const Database& database)
{
    QString journal = database.journalMode().toUpper();
    if (database.convertedToWal())
        journal += tr(" (converted from %1 when opened)").arg(database.previousJournalMode().toUpper());
    if (database.isReadOnly())
        journal += tr(" — opened read-only");
    return journal;
}

QString OverviewBoxText::pagesText(const Database::Facts& facts)
{
    return tr("%1 pages of %2 (%3 free, %4)")
        .arg(Format::count(facts.pageCount), Format::bytesNoBreak(facts.pageSize))
        .arg(Format::count(facts.freelistCount))
        .arg(Format::bytesNoBreak(facts.freelistCount * facts.pageSize));
}

QString OverviewBoxText::settingsText(const Database::Facts& facts)
{
    static const char* const vacuumModes[] = { "none", "full", "incremental" };
    // auto_vacuum is kept in the file; the other two are each connection's own, read here from a new one: a writer's
    // may differ, and nothing outside it can see its own (docs/CLI.md, info's wal_autocheckpoint).
    return tr("auto_vacuum %1 · a new connection's wal_autocheckpoint %2 pages and journal_size_limit %3 (each "
              "writer may set its own)")
        .arg(QLatin1String(vacuumModes[std::clamp<qint64>(facts.autoVacuum, 0, 2)]))
        .arg(Format::count(facts.walAutocheckpoint))
        .arg(facts.journalSizeLimit < 0 ? tr("none") : Format::bytesNoBreak(facts.journalSizeLimit));
}

QString OverviewBoxText::filesystemText(const CacheFiles::Filesystem& filesystem)
{
    return filesystem.network
        ? tr("%1 — a network filesystem: WAL needs shared memory and is unsafe here").arg(filesystem.type)
        : filesystem.type;
}

QString OverviewBoxText::sizeText(qint64 bytes)
{
    return bytes >= 0 ? u"%1  (%2 bytes)"_s.arg(Format::bytesNoBreak(bytes), Format::count(bytes)) : tr("absent");
}

QString OverviewBoxText::cacheRows(const CacheSummary& summary, bool counts, qsizetype shards)
{
    // Without counts, nothing in their place: the title says they are being taken again.
    const auto entries = [counts](qint64 number) {
        return !counts ? QString() : u" — "_s + (number < 0 ? tr("not counted") : Format::entries(number));
    };
    QStringList rows;
    for (const CacheSummary::Table& table : summary.tables) {
        rows << u"<b>%1</b> — %2%3"_s.arg(visibleName(table.name).toHtmlEscaped(),
            tr("format %1").arg(table.profile.toHtmlEscaped()), entries(table.rows));
        if (shards > 0 && counts)
            rows.last() += tr(" in its %1").arg(Format::counted(shards, tr("shard"), tr("shards")));
    }
    for (const CacheSummary::SubCache& sub : summary.subCaches) { // a FanoutCache's, apart from its own entries
        const QString name = visibleName(sub.name).toHtmlEscaped();
        rows << (!sub.error.isEmpty()
                ? tr("Sub-cache <b>%1</b> — could not be read: %2").arg(name, sub.error.toHtmlEscaped())
                : tr("Sub-cache <b>%1</b> — format %2%3").arg(name, sub.profile.toHtmlEscaped(), entries(sub.entries)));
    }
    return rows.isEmpty() ? tr("No tables.") : rows.join(u"<br>"_s);
}
