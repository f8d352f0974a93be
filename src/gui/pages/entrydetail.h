// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"

#include <QJsonObject>
#include <QString>
#include <QVariantMap>

#include <optional>

class QTreeWidget;
class QTreeWidgetItem;

// EntryDetail: renders one whole entry for the detail pane. First the entry in its cache
// format's terms, each column as the CLI's decoder shows it (`entries --key`): pickled values
// as indented plain data, a requests-cache response as status, headers and body, times in
// ISO 8601 UTC with the value as stored; then every column as stored: JSON pretty-printed, text
// with its length, BLOBs as size + hex + printable preview (a pickle among them decoded as
// data, never run), timestamps as dates. Also the JSON tree of the decoded values and the JSON
// that "Copy entry as JSON" copies. Text helpers run on the entry reader's worker; the tree
// is filled on the GUI thread, at most TreeItems items (the rest behind "Show all" items).
class EntryDetail {
public:
    static constexpr int TreeItems = 3000; // items made at once; a node's further children wait
    static constexpr int TreeChildren = 500; // children shown per node before "… Show all"
    static constexpr int MoreRole = Qt::UserRole + 1; // on a "Show all" item: the node's whole value
    static constexpr int StringChars = 4096; // of a string inside a decoded value, in the text

    // Everything the Entries tab shows for an entry: the decoded view (not for the generic
    // view, whose columns are the stored ones) and the stored columns; each value at most
    // maxChars characters, a cut said where it is.
    static QString text(const EntryView& view, const std::optional<EntryRow>& decoded, const QStringList& columns,
        const QVariantMap& entry, qsizetype maxChars);
    static QString decodedText(const EntryView& view, const EntryRow& row, qsizetype maxChars);
    static QString storedText(const QStringList& columns, const QVariantMap& entry);
    static QString valueText(const QString& column, const QVariant& value);
    // Fills tree with the decoded values and the JSON documents found in the entry's text columns.
    static void fillJsonTree(QTreeWidget* tree, const EntryView& view, const std::optional<EntryRow>& decoded,
        const QStringList& columns, const QVariantMap& entry);
    // A "Show all" item was activated: its node gets its remaining children.
    static void showAll(QTreeWidgetItem* more);
    // "Copy entry as JSON": the entry as `entries --key --json` prints it (decoded), BLOBs with
    // their bytes in base64; a table of the generic view, whose columns are the stored ones,
    // as stored.
    static QJsonObject json(const EntryView& view, const std::optional<EntryRow>& decoded, const QVariantMap& entry);
    static QJsonObject storedJson(const QVariantMap& entry);
    // diskcache keeps big values in files next to cache.db (`filename`, relative): says where,
    // and the size on disk (a stat only: the file is never opened).
    static QString diskcacheFileNote(const QString& databasePath, const QVariantMap& entry);
    // "2024-05-01 10:00:00 UTC" for epoch seconds/ms or ISO text; empty if it is not a date.
    static QString dateOf(const QString& column, const QVariant& value);
};
