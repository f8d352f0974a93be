// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/overviewboxtext.h"

#include "common/format.h"
#include "pages/visiblename.h"

#include <QHash>
#include <QStringList>

#include <functional>

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

QString OverviewBoxText::fanoutParts(qsizetype shards, qsizetype subCaches)
{
    const QString ofShards = Format::counted(shards, tr("shard"), tr("shards"));
    return subCaches == 0
        ? ofShards
        : tr("%1 and %2").arg(ofShards, Format::counted(subCaches, tr("sub-cache"), tr("sub-caches")));
}

QString OverviewBoxText::journalText(const FanoutDatabases& fanout)
{
    // Each part named as the SQL tab and `info` name it: "shard 000", "sub-cache index/sessions".
    QList<std::pair<QString, const Database*>> parts;
    const QStringList partNames = visiblePartNames(fanout);
    for (const FanoutDatabases::Part& part : fanout.parts())
        parts.append({ partNames.at(parts.size()), part.database });
    const QString every = fanout.subCaches.isEmpty() ? tr("every shard") : tr("every shard and sub-cache");
    // Parts grouped by what is said of them, in the order first met: every part, or the ones named.
    const auto grouped = [&parts, &every](const std::function<QString(const Database&)>& of, bool skipEmpty) {
        QStringList order;
        QHash<QString, QStringList> names;
        for (const auto& [name, database] : parts) {
            const QString said = of(*database);
            if (skipEmpty && said.isEmpty())
                continue;
            if (!names.contains(said))
                order << said;
            names[said] << name;
        }
        QList<std::pair<QString, QString>> groups; // what is said, of whom
        for (const QString& said : order)
            groups.append({ said, names.value(said).size() == parts.size() ? every : names.value(said).join(u", "_s) });
        return groups;
    };
    QStringList modes;
    for (const auto& [mode, of] : grouped([](const Database& d) { return d.journalMode().toUpper(); }, false))
        modes << tr("%1 in %2").arg(mode, of);
    QString text = modes.join(u" · "_s);
    for (const auto& [was, of] :
        grouped(
            [](const Database& d) { return d.convertedToWal() ? d.previousJournalMode().toUpper() : QString(); }, true))
        text += tr(" (%1 converted from %2 when opened)").arg(of, was);
    for (const auto& [readOnly, of] :
        grouped([](const Database& d) { return d.isReadOnly() ? u"r"_s : QString(); }, true))
        text += of == every ? tr(" — opened read-only") : tr(" — %1 opened read-only").arg(of);
    return text;
}

namespace {
// A FanoutCache's facts: every shard's and every sub-cache's that could be read, with their names; one database's
// alone.
QList<std::pair<QString, Database::Facts>> everyFacts(const CacheSummary& summary, const QStringList& names)
{
    QList<std::pair<QString, Database::Facts>> every;
    for (qsizetype i = 0; i < summary.shardFacts.size(); ++i)
        every.append({ names.value(i), summary.shardFacts.at(i) });
    for (qsizetype i = 0; i < summary.subCaches.size(); ++i) {
        if (summary.subCaches.at(i).error.isEmpty())
            every.append({ names.value(summary.shardFacts.size() + i), summary.subCaches.at(i).facts });
    }
    return every;
}
} // namespace

QString OverviewBoxText::pagesText(const CacheSummary& summary)
{
    const auto every = everyFacts(summary, {});
    if (every.size() < 2)
        return pagesText(summary.facts);
    qint64 pages = 0, bytes = 0, freePages = 0, freeBytes = 0;
    for (const auto& [name, one] : every) {
        pages += one.pageCount;
        bytes += one.pageCount * one.pageSize;
        freePages += one.freelistCount;
        freeBytes += one.freelistCount * one.pageSize;
    }
    return tr("%1 pages, %2, in its %3 (%4 free, %5)")
        .arg(Format::count(pages), Format::bytesNoBreak(bytes),
            Format::counted(every.size(), tr("database"), tr("databases")), Format::count(freePages),
            Format::bytesNoBreak(freeBytes));
}

QString OverviewBoxText::settingsText(const CacheSummary& summary, const QStringList& names)
{
    const auto every = everyFacts(summary, names);
    if (every.size() < 2)
        return settingsText(summary.facts);
    QStringList order;
    QHash<QString, QStringList> of;
    for (const auto& [name, facts] : every) {
        const QString text = settingsText(facts);
        if (!of.contains(text))
            order << text;
        of[text] << name;
    }
    if (order.size() == 1)
        return tr("%1 — the same in each of its %2")
            .arg(order.first(), Format::counted(every.size(), tr("database"), tr("databases")));
    QStringList lines;
    for (const QString& text : order)
        lines << tr("%1: %2").arg(of.value(text).join(u", "_s), text);
    return lines.join(u'\n');
}

QString OverviewBoxText::sizeText(qint64 bytes, int present, int databases)
{
    if (present == 0)
        return tr("absent in all %1").arg(databases);
    const QString size = sizeText(bytes);
    return present == databases ? tr("%1 in %2").arg(size, Format::counted(present, tr("file"), tr("files")))
                                : tr("%1 in %2 of %3 databases").arg(size).arg(present).arg(databases);
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
