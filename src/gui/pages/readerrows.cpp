// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/readerrows.h"

#include "common/format.h"
#include "models/processmodel.h"

#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;

void ReaderRows::fill(QTreeWidget* tree, const ActivitySample& sample)
{
    tree->clear();
    for (const auto& reader : sample.readers) {
        QString note = reader.isWriter ? tr("the writer's own snapshot") : QString();
        if (reader.pinning)
            note = tr("pins the checkpoint");
        auto* item = new QTreeWidgetItem(tree,
            { QString::number(reader.pid), QString::number(reader.slot), Format::count(reader.readMark), note,
                ProcessModel::shortCommandLine(reader.cmdline) });
        item->setToolTip(item->columnCount() - 1, reader.cmdline); // the whole line; the row's is cut in its middle
        if (reader.pinning) {
            for (int column = 0; column < item->columnCount(); ++column) {
                item->setBackground(column, QColor(0xff, 0xe0, 0xb2));
                QFont font = item->font(column);
                font.setBold(true);
                item->setFont(column, font);
            }
        }
    }
}
