// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/contentslabel.h"

#include "common/format.h"
#include "entries/cacheformats.h"
#include "pages/visiblename.h"

#include <QCursor>
#include <QToolTip>

using namespace Qt::Literals::StringLiterals;

ContentsLabel::ContentsLabel(QWidget* parent)
    : QLabel(parent)
{
    setObjectName(u"contentsValue"_s);
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    connect(this, &QLabel::linkActivated, this, [this](const QString& link) {
        // "entry:<rowid>" in the shown table, "entry:<shard>:<rowid>" in a FanoutCache's shard
        if (link.startsWith(u"entry:"_s)) {
            const QStringList parts = link.mid(6).split(u':');
            Q_EMIT entryRequested(m_table, parts.last().toLongLong(), parts.size() > 1 ? parts.first().toInt() : 0);
        }
    });
    setToolTip(tr("What the cache's main table holds, read in the background in short chunks that "
                  "never hold up the writers: at open, on F5, once a minute and soon after the "
                  "table's count changes."));
    // A largest entry is labelled by what names it to a reader (a URL, the question asked); its
    // key (a hash, often) is shown on hover.
    connect(this, &QLabel::linkHovered, this, [this](const QString& link) {
        const QString key = link.startsWith(u"entry:"_s) ? m_largestKeys.value(link) : QString();
        if (key.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(QCursor::pos(), tr("Key: %1").arg(key), this);
    });
}

void ContentsLabel::setCache(int shards, const QStringList& shardLabels, bool remote)
{
    m_shards = shards;
    m_shardLabels = shardLabels;
    m_remote = remote;
}

void ContentsLabel::clearContents()
{
    clear();
    m_shards = 0;
    m_shardLabels.clear();
    m_remote = false;
    m_table.clear();
    m_entries = -1;
    m_html.clear();
    m_body.clear();
    m_figures.clear();
    m_ofTable.clear();
    m_countedAt.clear();
    m_largestKeys.clear();
}

void ContentsLabel::showContents(const CacheContents& contents, bool severalTables, const QString& countedAt)
{
    const auto esc = [](const QString& text) { return visibleName(text).toHtmlEscaped(); };
    QStringList parts;
    // The Cache box above already names each table with its format and count: say which one
    // these contents are of only when it lists several.
    m_ofTable = severalTables ? esc(contents.table) : QString();
    m_countedAt = countedAt;
    QString figures = Format::entries(contents.entries);
    if (m_shards > 0)
        figures += tr(" in the %1 of the FanoutCache").arg(Format::counted(m_shards, tr("shard"), tr("shards")));
    if (contents.bytes >= 0)
        figures += tr(", %1 of values").arg(Format::bytesNoBreak(contents.bytes));
    if (CacheFormats::byId(contents.profile).keepsValueFiles())
        figures += tr(" (values kept in files counted by their size)");
    m_figures = figures + u'.';
    if (contents.expiredEntries >= 0)
        parts << (contents.expiredEntries == 0
                ? tr("No entry has expired.")
                : (contents.expiredEntries == 1 ? tr("%1 entry has expired and still takes %2")
                                                : tr("%1 entries have expired and still take %2"))
                        .arg(Format::count(contents.expiredEntries), Format::bytesNoBreak(contents.expiredBytes))
                    + tr(": the cache library removes expired entries when it next culls or is asked for "
                         "them."));
    const bool onlyUngrouped = contents.topGroups.size() == 1 && contents.topGroups.first().name == u"(none)"_s;
    if (!contents.topGroups.isEmpty() && !onlyUngrouped) {
        QStringList groups;
        for (const CacheContents::Group& group : contents.topGroups)
            groups << tr("%1 %2 (%3)")
                          .arg(esc(group.name), Format::count(group.entries), Format::bytesNoBreak(group.bytes));
        QString line = tr("By %1: %2").arg(contents.groupedBy, groups.join(u" · "_s));
        if (contents.otherGroups > 0)
            line += tr(" · and %1 more").arg(Format::count(contents.otherGroups));
        parts << line;
    }
    m_largestKeys.clear();
    if (!contents.largest.isEmpty()) {
        QStringList largest;
        for (const CacheContents::Entry& entry : contents.largest) {
            const QString label = esc((entry.label.isEmpty() ? entry.key : entry.label).left(100));
            const QString link
                = entry.shard < 0 ? u"entry:%1"_s.arg(entry.rowid) : u"entry:%1:%2"_s.arg(entry.shard).arg(entry.rowid);
            m_largestKeys.insert(link, entry.key);
            const QString shown = label.isEmpty() ? tr("(no key)") : label;
            QString line = m_remote
                ? tr("%1 — %2").arg(shown, Format::bytesNoBreak(entry.bytes)) // Entries pages there by cursor
                : tr("<a href=\"%1\">%2</a> — %3").arg(link, shown, Format::bytesNoBreak(entry.bytes));
            if (entry.shard >= 0)
                // A remote FanoutCache's page has no labels of its own: shard folders are named by number ("000").
                line += tr(" (shard %1)")
                            .arg(m_shardLabels.value(entry.shard, u"%1"_s.arg(entry.shard, 3, 10, QChar(u'0')))
                                     .toHtmlEscaped());
            largest << line;
        }
        parts << (m_remote ? tr("Largest entries:<br>%1")
                           : tr("Largest entries (click one to show it in Entries; hover for its key):<br>%1"))
                     .arg(largest.join(u"<br>"_s));
    }
    if (!contents.complete)
        parts << tr("<i>Stopped before the end; the figures are partial.</i>");
    m_table = contents.table;
    m_entries = contents.complete ? contents.entries : -1;
    m_body = parts.join(u"<br><br>"_s);
    m_html = html(countedAt);
    setText(m_html);
}

QString ContentsLabel::html(const QString& titleTime) const
{
    // The Cache box's title says when it counted: the contents say their own time only when it is another.
    const bool ownTime = titleTime != m_countedAt;
    QString head;
    if (m_ofTable.isEmpty())
        head = ownTime ? tr("Contents, counted at %1: %2").arg(m_countedAt, m_figures)
                       : tr("Contents: %1").arg(m_figures);
    else
        head = ownTime ? tr("Contents of <b>%1</b>, counted at %2: %3").arg(m_ofTable, m_countedAt, m_figures)
                       : tr("Contents of <b>%1</b>: %2").arg(m_ofTable, m_figures);
    return m_body.isEmpty() ? head : head + u"<br><br>"_s + m_body;
}

void ContentsLabel::showRecounting()
{
    setText(tr("Contents: counting…"));
}

bool ContentsLabel::showCount(const QString& table, qint64 rows, const QString& titleTime)
{
    if (table != m_table || m_figures.isEmpty())
        return false;
    m_html = html(titleTime);
    const bool changed = m_entries >= 0 && rows >= 0 && rows != m_entries;
    setText(changed ? tr("<i>The table has changed since (%1 now): recounting…</i>").arg(Format::entries(rows))
                + u"<br><br>"_s + m_html
                    : m_html);
    return changed;
}
