// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/remoteentriespage.h"

#include "common/format.h"
#include "models/remoteentrymodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

RemoteEntriesPage::RemoteEntriesPage(QWidget* parent)
    : QWidget(parent)
    , m_model(new RemoteEntryModel(this))
{
    auto* layout = new QVBoxLayout(this);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search keys and values on the cache's host (Enter)"));
    m_search->setClearButtonEnabled(true);
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->horizontalHeader()->setDefaultSectionSize(180);
    m_status = new QLabel(this);
    layout->addWidget(m_search);
    layout->addWidget(m_view);
    layout->addWidget(m_status);
    connect(m_search, &QLineEdit::returnPressed, this,
        [this] { m_model->setSource(m_address, m_extraArgs, m_search->text()); });
    connect(m_model, &RemoteEntryModel::pageRead, this, [this](int rows, qint64 ms) {
        m_status->setText(
            tr("%1 rows of %2 shown — the last page (%3 rows) took %4; scroll down for more")
                .arg(Format::count(m_model->rowCount()), m_model->table(), Format::count(rows), Format::duration(ms)));
        Q_EMIT roundTrip(ms);
    });
    connect(m_model, &RemoteEntryModel::failed, this, [this](const QString& reason) {
        m_status->setText(Format::escapeControl(reason));
        Q_EMIT failed(reason);
    });
}

void RemoteEntriesPage::showCache(const QString& address, const QStringList& extraArgs)
{
    m_address = address;
    m_extraArgs = extraArgs;
    m_status->setText(tr("Reading the first page…"));
    m_model->setSource(address, extraArgs, m_search->text());
}
