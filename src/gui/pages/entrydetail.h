// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>
#include <QVariantMap>

class QTreeWidget;

// EntryDetail: renders one whole entry (raw column → value) for the detail pane: JSON
// pretty-printed, text with its length, BLOBs as size + hex + printable preview (never
// unpickled), timestamps as dates (epoch seconds, epoch ms, ISO text); and as JSON for
// copying. Stateless helpers; GUI thread.
class EntryDetail {
public:
    static QString text(const QStringList& columns, const QVariantMap& entry);
    static QString valueText(const QString& column, const QVariant& value);
    // Fills tree with the JSON documents found in the entry's text columns.
    static void fillJsonTree(QTreeWidget* tree, const QStringList& columns, const QVariantMap& entry);
    static QJsonObject json(const QVariantMap& entry);
    // diskcache keeps big values in files next to cache.db (`filename`, relative): says where,
    // and the size on disk (a stat only: the file is never opened).
    static QString diskcacheFileNote(const QString& databasePath, const QVariantMap& entry);
    static QString hexDump(const QByteArray& bytes, int maxBytes = 512);
    // "2024-05-01 10:00:00 UTC" for epoch seconds/ms or ISO text; empty if it is not a date.
    static QString dateOf(const QString& column, const QVariant& value);
};
