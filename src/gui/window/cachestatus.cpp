// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/cachestatus.h"

#include "common/format.h"
#include "os/cachefiles.h"

using namespace Qt::Literals::StringLiterals;

CacheStatus::CacheStatus(QWidget* parent)
    : QLabel(parent)
{
    setObjectName(u"cacheStatus"_s);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refresh.setInterval(RefreshMs);
    connect(&m_refresh, &QTimer::timeout, this, &CacheStatus::update);
}

void CacheStatus::setDatabase(const Database* database, const QString& wholeCache)
{
    m_database = database;
    m_fanout.reset();
    m_sample.reset();
    if (database && !wholeCache.isEmpty()) {
        auto folder = CacheFolder::resolve(wholeCache); // lstat and readdir only
        if (folder && folder->layout == CacheFolder::Layout::Fanout)
            m_fanout = folder.value();
    }
    if (database) {
        const CacheFiles::Filesystem filesystem = CacheFiles::filesystemOf(database->path());
        m_remote = filesystem.network;
        m_filesystem = filesystem.type;
        m_refresh.start();
    } else {
        m_refresh.stop();
    }
    update();
}

void CacheStatus::applySample(const QString& path, const ActivitySample& sample)
{
    if (!m_database || m_fanout || path != m_database->path())
        return;
    m_sample = sample;
    m_sampleAge.start();
    update();
}

bool CacheStatus::isSnapshot() const
{
    return m_database->readsImmutable() || m_database->sqlitePath() != m_database->path();
}

void CacheStatus::update()
{
    if (!m_database) {
        clear();
        setToolTip({});
        return;
    }
    qint64 dbBytes = 0;
    qint64 walBytes = 0;
    bool walExists = false;
    if (m_sample && m_sampleAge.elapsed() < 2 * RefreshMs) {
        dbBytes = m_sample->dbBytes.value_or(0);
        walExists = m_sample->walBytes.has_value();
        walBytes = m_sample->walBytes.value_or(0);
    } else {
        for (const QString& path : m_fanout ? m_fanout->everyDatabase() : QStringList { m_database->path() }) {
            const CacheFiles files(path);
            dbBytes += files.stat(CacheFiles::Kind::Db).bytes;
            const CacheFiles::FileInfo wal = files.stat(CacheFiles::Kind::Wal);
            walExists = walExists || wal.exists;
            walBytes += wal.exists ? wal.bytes : 0;
        }
    }
    QStringList parts { m_database->isReadOnly() ? tr("Read-only") : tr("Read-write"),
        isSnapshot() ? tr("snapshot") : tr("live") };
    if (m_remote)
        parts << tr("remote (%1)").arg(m_filesystem);
    parts << m_database->journalMode().toUpper();
    if (m_fanout) {
        QString fanout = tr("FanoutCache: %1").arg(Format::counted(m_fanout->shards.size(), tr("shard"), tr("shards")));
        if (!m_fanout->subCaches.isEmpty())
            fanout += u", "_s + Format::counted(m_fanout->subCaches.size(), tr("sub-cache"), tr("sub-caches"));
        parts << fanout;
    }
    QString sizes = Format::bytesNoBreak(dbBytes);
    if (walExists)
        sizes += (m_fanout ? tr(" + -wals %1") : tr(" + -wal %1")).arg(Format::bytesNoBreak(walBytes));
    parts << sizes;
    setText(parts.join(u" · "_s));
    setToolTip(isSnapshot()
            ? tr("Nobody else had this cache open: it is read as it was then (%1). CacheScope opens it again, live, "
                 "once another process opens it.")
                  .arg(m_database->notes().join(u"; "_s))
            : QString());
}

QString CacheStatus::title() const
{
    if (!m_database)
        return tr("CacheScope");
    QStringList how;
    if (m_database->isReadOnly())
        how << tr("read-only");
    if (m_remote)
        how << tr("remote");
    how << m_database->journalMode().toUpper();
    if (m_fanout)
        how.prepend(tr("FanoutCache"));
    return tr("%1 — %2 — CacheScope")
        .arg(Format::shortName(m_fanout ? m_fanout->root : m_database->path()), how.join(u", "_s));
}
