// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "report/cachecontents.h"

#include <QHash>
#include <QLabel>
#include <QStringList>

// ContentsLabel: the Overview's account of what the cache's main table holds (a CacheContents)
// as rich text — the count, the expired entries, the top groups and the largest entries, each
// a link that asks for it in Entries (its key shown on hover; plain text for a remote cache,
// whose Entries page by cursor) — and a note when the table's count moved since it was
// counted. GUI thread.
class ContentsLabel : public QLabel {
    Q_OBJECT
public:
    explicit ContentsLabel(QWidget* parent = nullptr);

    // What the contents will be of: a FanoutCache's shards (0: one database) and their labels,
    // a remote cache.
    void setCache(int shards, const QStringList& shardLabels, bool remote);
    // Nothing shown and nothing known: the cache was closed.
    void clearContents();
    // severalTables: the Cache box lists several, so the contents name the table they are of.
    // countedAt: when they were counted, the time the Cache box's title says with them.
    void showContents(const CacheContents& contents, bool severalTables, const QString& countedAt);
    // The Cache box counted `table` again, at titleTime: when it is the table the contents are
    // of, they say their own time (now another than the title's), and when its count moved
    // since, say so above them and return true (they want counting again).
    bool showCount(const QString& table, qint64 rows, const QString& titleTime);
    // Writers wrote since the contents were counted, which were counted while nobody wrote: no figure of before the
    // writes beside the live line that shows them, only that they are being counted (until showContents).
    void showRecounting();

Q_SIGNALS:
    // A largest entry was clicked (shard: its FanoutCache shard's index, else 0).
    void entryRequested(const QString& table, qint64 rowid, int shard);

private:
    int m_shards = 0;
    QStringList m_shardLabels;
    bool m_remote = false;
    QString m_table; // the table the contents are about
    qint64 m_entries = -1; // the entries the contents counted
    QString m_ofTable; // the table named in the first line (the Cache box lists several), escaped
    QString m_countedAt; // when they were counted (HH:mm:ss)
    QString m_figures; // the first line's figures: "76 entries, 150 KiB of values."
    QString m_body; // the lines after the first
    QString m_html; // the contents as shown, without the recount note

    QString html(const QString& titleTime) const;
    QHash<QString, QString> m_largestKeys; // link ("entry:[SHARD:]ROWID") → key of a largest entry (shown on hover)
};
