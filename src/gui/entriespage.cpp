// SPDX-License-Identifier: GPL-3.0-or-later
#include "entriespage.h"
#include "ui_entriespage.h"

#include "tablerowsmodel.h"

#include <QHeaderView>

using namespace Qt::Literals::StringLiterals;

EntriesPage::EntriesPage(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::EntriesPage>())
{
    m_ui->setupUi(this);
    m_ui->splitter->setStretchFactor(1, 4);
    m_ui->rowsView->horizontalHeader()->setDefaultSectionSize(160);
    connect(m_ui->tableList, &QListWidget::currentTextChanged, this, [this](const QString&) {
        if (auto* item = m_ui->tableList->currentItem())
            showTable(item->data(Qt::UserRole).toString());
    });
}

EntriesPage::~EntriesPage() = default;

void EntriesPage::showDatabase(Database* database)
{
    clear();
    m_database = database;
    auto tables = database->tables();
    if (!tables) {
        m_ui->statusLabel->setText(tables.error().message);
        return;
    }
    for (const QString& name : tables.value()) {
        auto rows = database->rowCount(name);
        auto* item = new QListWidgetItem(rows ? tr("%1  (%2 rows)").arg(name).arg(rows.value()) : name);
        item->setData(Qt::UserRole, name);
        m_ui->tableList->addItem(item);
    }
    if (m_ui->tableList->count() > 0)
        m_ui->tableList->setCurrentRow(0);
    else
        m_ui->statusLabel->setText(tr("This database has no tables."));
}

void EntriesPage::clear()
{
    m_ui->rowsView->setModel(nullptr);
    delete m_model;
    m_model = nullptr;
    m_ui->tableList->clear();
    m_ui->statusLabel->clear();
    m_database = nullptr;
}

QStringList EntriesPage::tableNames() const
{
    QStringList names;
    for (int i = 0; i < m_ui->tableList->count(); ++i)
        names << m_ui->tableList->item(i)->data(Qt::UserRole).toString();
    return names;
}

void EntriesPage::selectTable(const QString& table)
{
    const int row = int(tableNames().indexOf(table));
    if (row >= 0)
        m_ui->tableList->setCurrentRow(row);
}

void EntriesPage::showTable(const QString& table)
{
    if (!m_database)
        return;
    auto* model = new TableRowsModel(m_database, table, this);
    m_ui->rowsView->setModel(model);
    delete m_model;
    m_model = model;
    m_ui->statusLabel->setText(model->errorText().isEmpty() ? tr("Table %1").arg(table) : model->errorText());
}
