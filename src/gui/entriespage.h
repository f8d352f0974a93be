// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "database.h"

#include <QWidget>

#include <memory>

namespace Ui {
class EntriesPage;
}
class TableRowsModel;

// EntriesPage: the tables of the open cache and the rows of the selected one, read in batches
// as the view scrolls. GUI thread.
class EntriesPage : public QWidget {
    Q_OBJECT
public:
    explicit EntriesPage(QWidget* parent = nullptr);
    ~EntriesPage() override;

    void showDatabase(Database* database);
    void clear();
    QStringList tableNames() const;
    void selectTable(const QString& table);
    TableRowsModel* rowsModel() const { return m_model; }

private:
    void showTable(const QString& table);

    std::unique_ptr<Ui::EntriesPage> m_ui;
    Database* m_database = nullptr;
    TableRowsModel* m_model = nullptr;
};
