// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entrycolumnchooser.h"

#include <QHeaderView>
#include <QMenu>
#include <QSettings>
#include <QTableView>

using namespace Qt::Literals::StringLiterals;

EntryColumnChooser* EntryColumnChooser::of(QTableView* view)
{
    if (auto* chooser = view->findChild<EntryColumnChooser*>(QString(), Qt::FindDirectChildrenOnly))
        return chooser;
    return new EntryColumnChooser(view);
}

EntryColumnChooser::EntryColumnChooser(QTableView* view)
    : QObject(view)
    , m_view(view)
{
    QHeaderView* header = view->horizontalHeader();
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QWidget::customContextMenuRequested, this, &EntryColumnChooser::showMenu);
}

QString EntryColumnChooser::columnName(int column) const
{
    return m_view->model() ? m_view->model()->headerData(column, Qt::Horizontal).toString() : QString();
}

void EntryColumnChooser::apply(const QString& format, const QStringList& rarelyShown)
{
    m_format = format;
    const QSettings settings;
    const QStringList hidden
        = settings.contains(settingsKey(format)) ? settings.value(settingsKey(format)).toStringList() : rarelyShown;
    QHeaderView* header = m_view->horizontalHeader();
    for (int column = 0; column < header->count(); ++column)
        header->setSectionHidden(column, hidden.contains(columnName(column)));
}

QStringList EntryColumnChooser::hiddenColumns() const
{
    QStringList hidden;
    const QHeaderView* header = m_view->horizontalHeader();
    for (int column = 0; column < header->count(); ++column) {
        if (header->isSectionHidden(column))
            hidden << columnName(column);
    }
    return hidden;
}

void EntryColumnChooser::showMenu(const QPoint& at)
{
    QHeaderView* header = m_view->horizontalHeader();
    if (!m_view->model() || header->count() == 0)
        return;
    auto* menu = new QMenu(header);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QMenu* columns = menu->addMenu(tr("Show column"));
    for (int visual = 0; visual < header->count(); ++visual) {
        const int column = header->logicalIndex(visual);
        QAction* action = columns->addAction(columnName(column));
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(column));
        // The last column shown stays: a table with no column is no way to show one again.
        action->setEnabled(header->isSectionHidden(column) || header->count() - header->hiddenSectionCount() > 1);
        connect(action, &QAction::toggled, this, [this, column](bool shown) { setShown(column, shown); });
    }
    menu->popup(header->mapToGlobal(at));
}

void EntryColumnChooser::setShown(int column, bool shown)
{
    m_view->horizontalHeader()->setSectionHidden(column, !shown);
    if (!m_format.isEmpty()) {
        QSettings settings;
        settings.setValue(settingsKey(m_format), hiddenColumns());
    }
    Q_EMIT columnsChanged();
}
