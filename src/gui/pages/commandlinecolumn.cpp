// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/commandlinecolumn.h"

#include <QAbstractItemView>
#include <QHeaderView>

void CommandLineColumn::install(QAbstractItemView* view, QHeaderView* header, int column)
{
    // Every column as wide as its contents ("CacheScope (this window)", not "this CacheSc…"); the command line
    // takes the rest, cut in the middle.
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(column, QHeaderView::Stretch);
    view->setTextElideMode(Qt::ElideMiddle);
}
