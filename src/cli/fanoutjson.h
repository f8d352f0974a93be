// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// FanoutJson: what checkpoint, vacuum and info print with --json for a FanoutCache folder —
// the folder's "path" and "layout", each shard's result under "shards" (labelled "shard") and
// each named sub-cache's under "sub_caches" (labelled "name"). The field names are a contract
// (docs/CLI.md); this is the one place the three commands spell them. A plain value.
class FanoutJson {
public:
    // One database's result as the command prints it for a single cache, labelled: a shard's
    // name ("000") or a sub-cache's ("index/sessions").
    void addShard(const QString& label, QJsonObject result);
    void addSubCache(const QString& label, QJsonObject result);
    // The folder's object; a command inserts its own fields beside these (into, contents, …).
    QJsonObject toJson(const QString& root) const;

private:
    QJsonArray m_shards;
    QJsonArray m_subCaches;
};
