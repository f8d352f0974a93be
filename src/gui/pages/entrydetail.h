// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"

#include <QJsonObject>
#include <QString>
#include <QVariantMap>

#include <optional>

class QTreeWidget;
class QTreeWidgetItem;

// EntryDetail: the parts of the detail pane besides its form (EntryForm): a stored column's
// value as text, the JSON tree of the decoded values and the JSON that "Copy entry as JSON"
// copies. Text helpers run on the entry reader's worker; the tree is filled on the GUI thread,
// at most TreeItems items (the rest behind "Show all" items).
class EntryDetail {
public:
    static constexpr int TreeItems = 3000; // items made at once; a node's further children wait
    static constexpr int TreeChildren = 500; // children shown per node before "… Show all"
    static constexpr int MoreRole = Qt::UserRole + 1; // on a "Show all" item: the node's whole value
    static constexpr int PickleTreeRole = Qt::UserRole + 2; // on a "Show all" item of a pickle's tree: true
    static constexpr int StringChars = 4096; // of a string inside a decoded value, in the text

    // A stored column's value: JSON pretty-printed, text with its length, a BLOB as its size,
    // a pickle among them decoded as data (never run) and a hex dump, a time's date beside it.
    // storedLength: the length stored when value is only its start (characters of TEXT, bytes of
    // a BLOB; -1: value is whole), said with how much is shown.
    static QString valueText(const QString& column, const QVariant& value, qint64 storedLength = -1);
    // Fills tree with the decoded values and the JSON documents found in the entry's text columns;
    // a pickle in its stored order and Python's words (EntryRow::trees), else its JSON.
    static void fillJsonTree(QTreeWidget* tree, const EntryView& view, const std::optional<EntryRow>& decoded,
        const QStringList& columns, const QVariantMap& entry);
    // A "Show all" item was activated: its node gets its remaining children.
    static void showAll(QTreeWidgetItem* more);
    // "Copy entry as JSON": the entry as `entries --key --json` prints it (decoded), BLOBs with
    // their bytes in base64; a table of the generic view, whose columns are the stored ones,
    // as stored.
    static QJsonObject json(const EntryView& view, const std::optional<EntryRow>& decoded, const QVariantMap& entry);
    static QJsonObject storedJson(const QVariantMap& entry);
    // "2024-05-01 10:00:00 UTC" for epoch seconds/ms or ISO text; empty if it is not a date.
    static QString dateOf(const QString& column, const QVariant& value);
};
