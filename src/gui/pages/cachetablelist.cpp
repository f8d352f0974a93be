// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/cachetablelist.h"

#include "common/format.h"
#include "entries/cacheformats.h"
#include "entries/internaltables.h"
#include "entries/profiles.h"
#include "sqlite/database.h"

#include <algorithm>

#include <QDataStream>
#include <QEvent>
#include <QListWidget>
#include <QScrollBar>
#include <QSplitter>

using namespace Qt::Literals::StringLiterals;

namespace {
int subCacheOf(const QListWidgetItem* item)
{
    const QVariant subCache = item->data(CacheTableList::SubCacheRole);
    return subCache.isValid() ? subCache.toInt() : -1;
}

// The whole line on hover, above what the tooltip explains: the list is a quarter of the page at most, so a long
// name (or heading) is cut with "…" there.
void setWholeTip(QListWidgetItem* item, const QString& explained)
{
    const QString whole = item->text().trimmed();
    item->setToolTip(explained.isEmpty() ? whole : whole + u"\n\n"_s + explained);
}

// The list's width as splitter keeps it (restored, dragged or set): sizes() gives the laid-out widths, none yet while
// the page was never shown; saveState() holds the kept ones (QSplitter's format: magic, version, the sizes).
int keptWidth(const QSplitter* splitter)
{
    QDataStream stream(splitter->saveState());
    qint32 magic = 0;
    qint32 version = 0;
    QList<int> sizes;
    stream >> magic >> version >> sizes;
    return stream.status() == QDataStream::Ok && !sizes.isEmpty() ? sizes.first() : splitter->sizes().value(0);
}
} // namespace

CacheTableList::CacheTableList(QListWidget* list, QSplitter* splitter, QWidget* page)
    : QObject(page)
    , m_list(list)
    , m_splitter(splitter)
    , m_page(page)
{
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideMiddle); // a cut line keeps its end, what tells two sub-caches apart
    m_viewport = m_list->viewport();
    m_viewport->installEventFilter(this);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_splitter->setProperty("userSized", true); });
    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString&) {
        if (auto* item = m_list->currentItem())
            Q_EMIT tableChosen(item->data(Qt::UserRole).toString(), subCacheOf(item));
    });
}

Result<QString> CacheTableList::show(Database* database, const FanoutDatabases& fanout)
{
    auto profiles = Profiles::detect(database);
    if (!profiles)
        return profiles.error();
    auto main = Profiles::mainTable(database);
    addTables(database, profiles.value(), -1, fanout, main);
    for (int i = 0; i < fanout.subCaches.size(); ++i) {
        const FanoutDatabases::Part& sub = fanout.subCaches.at(i);
        const QString kind = sub.label.section(u'/', 0, 0); // cache, deque or index
        addHeading(tr("Sub-cache %1").arg(sub.label),
            tr("A named sub-cache of the FanoutCache, FanoutCache.%1('%2'): a diskcache database of its own, %3")
                .arg(kind, sub.label.section(u'/', 1), sub.database->path()));
        auto subProfiles = Profiles::detect(sub.database);
        if (!subProfiles) {
            auto* item = new QListWidgetItem(tr("(its tables could not be read)"));
            item->setFlags(Qt::NoItemFlags);
            item->setToolTip(subProfiles.error().message);
            m_list->addItem(item);
            continue;
        }
        addTables(sub.database, subProfiles.value(), i, {}, Profiles::mainTable(sub.database));
    }
    fit();
    elideToWidth();
    return main ? main.value() : QString();
}

void CacheTableList::addTables(Database* database, const QMap<QString, QString>& profiles, int subCache,
    const FanoutDatabases& fanout, const Result<QString>& main)
{
    // Cache tables first; search indexes and their shadow tables apart, below a heading.
    const auto internal = InternalTables::of(database);
    auto tables = database->tables();
    QStringList cacheTables;
    QStringList internalTables;
    for (const QString& name : tables ? tables.value() : QStringList())
        (internal && internal->contains(name) ? internalTables : cacheTables) << name;
    const int shardCount = int(fanout.shards.size());
    for (const QString& name : std::as_const(cacheTables)) {
        const QString profile = profiles.value(name);
        const QString shown = Format::shortName(name);
        auto* item = new QListWidgetItem(CacheFormats::isGeneric(profile) ? shown : u"%1  [%2]"_s.arg(shown, profile));
        if (shardCount > 0) {
            const bool whole = main && main.value() == name;
            item->setText(whole ? tr("%1 — all %2 shards").arg(item->text()).arg(shardCount)
                                : tr("%1 — shard %2").arg(item->text(), fanout.shards.first().label));
            item->setToolTip(whole ? tr("The entries of every shard of the FanoutCache, shard after shard")
                                   : tr("This table of the first shard only"));
        }
        if (subCache >= 0)
            item->setText(u"   "_s + item->text()); // below the heading naming its sub-cache
        setWholeTip(item, item->toolTip());
        item->setData(Qt::UserRole, name);
        item->setData(SubCacheRole, subCache);
        m_list->addItem(item);
    }
    if (internalTables.isEmpty())
        return;
    addHeading(tr("Internal tables (no cache entries)"),
        tr("Tables SQLite keeps for search indexes: they hold no entries of the cache"));
    for (const QString& name : std::as_const(internalTables)) {
        auto* item = new QListWidgetItem(Format::shortName(name));
        item->setData(Qt::UserRole, name);
        item->setData(SubCacheRole, subCache);
        setWholeTip(item, internal->value(name));
        item->setForeground(m_list->palette().brush(QPalette::Disabled, QPalette::Text));
        m_list->addItem(item);
    }
}

void CacheTableList::addHeading(const QString& text, const QString& toolTip)
{
    auto* heading = new QListWidgetItem(text);
    heading->setFlags(Qt::NoItemFlags);
    setWholeTip(heading, toolTip);
    QFont font = heading->font();
    font.setBold(true);
    heading->setFont(font);
    heading->setForeground(m_list->palette().brush(QPalette::Text)); // a heading, not a table one cannot choose
    m_list->addItem(heading);
}

bool CacheTableList::eventFilter(QObject* watched, QEvent* event)
{
    // m_viewport, never m_list->viewport(): events reach here while the list is being destroyed,
    // when it is no longer a QAbstractScrollArea (UBSan: "member call … not of type").
    if (event->type() == QEvent::Resize && watched == m_viewport)
        elideToWidth();
    return QObject::eventFilter(watched, event);
}

void CacheTableList::elideToWidth()
{
    const int width = m_list->viewport()->width();
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem* item = m_list->item(i);
        item->setSizeHint({}); // its own size first, to know whether it is too wide
        const QSize own = m_list->visualItemRect(item).size();
        item->setSizeHint(own.width() > width ? QSize(width, own.height()) : QSize());
    }
}

void CacheTableList::clear()
{
    m_list->clear();
}

QStringList CacheTableList::tableNames() const
{
    QStringList names; // the headings name none
    for (int i = 0; i < m_list->count(); ++i) {
        const QListWidgetItem* item = m_list->item(i);
        if (const QString name = item->data(Qt::UserRole).toString(); !name.isEmpty() && subCacheOf(item) < 0)
            names << name;
    }
    return names;
}

void CacheTableList::selectTable(const QString& table, int subCache)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(Qt::UserRole).toString() == table && subCacheOf(m_list->item(i)) == subCache) {
            m_list->setCurrentRow(i);
            return;
        }
    }
}

QString CacheTableList::currentTable() const
{
    const auto* item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

int CacheTableList::currentSubCache() const
{
    const auto* item = m_list->currentItem();
    return item ? subCacheOf(item) : -1;
}

void CacheTableList::fit()
{
    // As wide as its longest name (within a quarter of the page), not a fixed ~260 px for one or two names.
    int widest = 0;
    for (int i = 0; i < m_list->count(); ++i) {
        const QListWidgetItem* item = m_list->item(i);
        widest = std::max(widest, QFontMetrics(item->font()).horizontalAdvance(item->text()));
    }
    const int chrome = 2 * m_list->frameWidth() + 16
        + (m_list->count() * m_list->sizeHintForRow(0) > m_list->height()
                ? m_list->verticalScrollBar()->sizeHint().width()
                : 0);
    // Before the page is first laid out, the window's width stands for it.
    const int total = std::max({ m_splitter->width(), m_page->width(), m_page->window()->width() * 9 / 10 });
    const int list = std::clamp(widest + chrome, MinWidth, std::max(MinWidth, total / 4));
    // A width restored from the last session or moved by the user is theirs, unless it cuts this cache's names: the
    // last session's width was for another cache's (one short name gave "responses  [request…", "Sub-cache ca…").
    if (m_splitter->property("userSized").toBool() && keptWidth(m_splitter) >= list)
        return;
    m_splitter->setSizes({ list, std::max(0, total - list - m_splitter->handleWidth()) });
}
