// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entriespage.h"
#include "ui_entriespage.h"

#include "common/format.h"
#include "entries/cacheformats.h"
#include "pages/cachetablelist.h"
#include "pages/emptyviewhint.h"
#include "pages/entriesstatustext.h"
#include "pages/entryclipboard.h"
#include "pages/entrycolumnchooser.h"
#include "pages/entrycolumnfit.h"
#include "pages/entrydeleterequest.h"

#include <algorithm>

#include <QAction>
#include <QHeaderView>
#include <QPointer>
#include <QSplitter>

EntriesPage::EntriesPage(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::EntriesPage>())
{
    m_ui->setupUi(this);
    m_tables = new CacheTableList(m_ui->tableList, m_ui->splitter, this);
    m_detail = new EntryDetailPane(m_ui->detailText, m_ui->jsonTree, this);
    m_clipboard = new EntryClipboard(m_ui->rowsView, this);
    m_exporter = new EntryExporter(m_ui->rowsView, m_ui->exportButton, this);
    m_deleteRequest = new EntryDeleteRequest(m_ui->rowsView, this);
    m_emptyHint = EmptyViewHint::install(m_ui->rowsView, QString());
    const auto say = [this](const QString& text) { m_ui->statusLabel->setText(text); };
    connect(m_clipboard, &EntryClipboard::status, this, say);
    connect(m_exporter, &EntryExporter::status, this, say);
    connect(m_deleteRequest, &EntryDeleteRequest::status, this, say);
    connect(m_detail, &EntryDetailPane::status, this, say);
    connect(m_detail, &EntryDetailPane::shown, this, &EntriesPage::detailShown);
    connect(m_clipboard, &EntryClipboard::entryCopied, this, &EntriesPage::entryCopied);
    connect(m_clipboard, &EntryClipboard::keyCopied, this, &EntriesPage::keyCopied);
    connect(m_exporter, &EntryExporter::finished, this, &EntriesPage::exportFinished);
    connect(m_deleteRequest, &EntryDeleteRequest::pruneRequested, this, &EntriesPage::pruneRequested);
    connect(m_tables, &CacheTableList::tableChosen, this, [this](const QString& table, int subCache) {
        m_subCache = subCache;
        showTable(table);
    });
    m_ui->splitter->setStretchFactor(1, 4);
    m_ui->detailSplitter->setStretchFactor(0, 3);
    m_ui->detailSplitter->setStretchFactor(1, 2);
    m_ui->rowsView->horizontalHeader()->setDefaultSectionSize(160);
    m_ui->rowsView->verticalHeader()->setDefaultSectionSize(22);
    // A column shown or hidden from the header's menu: the columns fitted again to the view.
    connect(EntryColumnChooser::of(m_ui->rowsView), &EntryColumnChooser::columnsChanged, this, [this] {
        m_columnsFitted = false;
        fitColumnsOnce();
    });
    // Columns are fitted to about a screen of rows, not Qt's default 1,000, which held the GUI
    // thread for each fit (docs/BENCHMARKS.md, FitRows): the rest is "…" until read anyway.
    m_ui->rowsView->horizontalHeader()->setResizeContentsPrecision(FitRows);
    m_ui->countProgress->hide();
    m_ui->cancelCountButton->hide();
    m_ui->previousColumnsButton->hide();
    m_ui->nextColumnsButton->hide();
    for (QToolButton* button :
        { m_ui->firstRowsButton, m_ui->previousRowsButton, m_ui->nextRowsButton, m_ui->lastRowsButton })
        button->hide();
    connect(m_ui->firstRowsButton, &QToolButton::clicked, this, [this] { showRowWindow(0); });
    connect(m_ui->previousRowsButton, &QToolButton::clicked, this,
        [this] { showRowWindow(m_model ? m_model->currentWindow() - 1 : 0); });
    connect(m_ui->nextRowsButton, &QToolButton::clicked, this,
        [this] { showRowWindow(m_model ? m_model->currentWindow() + 1 : 0); });
    connect(m_ui->lastRowsButton, &QToolButton::clicked, this,
        [this] { showRowWindow(m_model ? m_model->windowCount() - 1 : 0); });
    connect(m_ui->previousColumnsButton, &QToolButton::clicked, this, [this] {
        if (m_model)
            showColumnsFrom(std::max(0, m_model->view().firstColumn - EntryView::MaxColumns));
    });
    connect(m_ui->nextColumnsButton, &QToolButton::clicked, this, [this] {
        if (m_model)
            showColumnsFrom(m_model->view().firstColumn + EntryView::MaxColumns);
    });
    connect(m_ui->cancelCountButton, &QToolButton::clicked, this, [this] {
        if (m_model)
            m_model->cancelCount();
    });
    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(300);
    connect(&m_filterDelay, &QTimer::timeout, this, &EntriesPage::applyFilter);
    connect(m_ui->filterEdit, &QLineEdit::textChanged, &m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_ui->filterColumn, &QComboBox::currentIndexChanged, this, &EntriesPage::applyFilter);
    connect(m_ui->expiryFilter, &QComboBox::currentIndexChanged, this, &EntriesPage::applyFilter);
    createActions();
}

EntriesPage::~EntriesPage() = default;

void EntriesPage::createActions()
{
    // Ctrl+Home / Ctrl+End: the table's first and last entry, whatever window of rows is shown
    // (QTableView alone would stop at the window's edge).
    for (const bool end : { false, true }) {
        auto* action = new QAction(end ? tr("Last entry") : tr("First entry"), m_ui->rowsView);
        action->setShortcut(end ? QKeySequence(Qt::CTRL | Qt::Key_End) : QKeySequence(Qt::CTRL | Qt::Key_Home));
        action->setShortcutContext(Qt::WidgetShortcut);
        connect(action, &QAction::triggered, this, [this, end] { goToEdge(end); });
        m_ui->rowsView->addAction(action);
    }
    m_clipboard->addActions();
    m_deleteRequest->addActions();
}

void EntriesPage::showDatabase(Database* database, const FanoutDatabases& fanout)
{
    clear();
    m_database = database;
    m_shards = fanout.shards;
    m_subCaches = fanout.subCaches;
    const auto main = m_tables->show(database, fanout);
    if (!main)
        m_ui->statusLabel->setText(main.error().message);
    else if (!main->isEmpty())
        selectTable(main.value());
    else
        m_ui->statusLabel->setText(tr("This database has no tables."));
}

void EntriesPage::clear()
{
    m_ui->rowsView->setModel(nullptr);
    delete m_model;
    m_database = nullptr;
    m_subCaches.clear();
    m_subCache = -1;
    setShownModel(nullptr);
    m_tables->clear();
    m_ui->statusLabel->clear();
    m_emptyHint->setText(QString());
    m_detail->clear(); // a read for the cache no longer shown shows nothing
    m_ui->countProgress->hide();
    m_ui->cancelCountButton->hide();
    m_shards.clear();
}

void EntriesPage::setShownModel(EntryTableModel* model)
{
    m_model = model;
    Database* database = shownDatabase();
    m_detail->setModel(model, database);
    m_exporter->setDatabase(database);
    const QString subCache = m_subCache >= 0 && model ? m_subCaches.value(m_subCache).label : QString();
    m_clipboard->setSubCache(subCache);
    m_deleteRequest->setSubCache(subCache, subCache.isEmpty() ? QString() : database->path());
}

Database* EntriesPage::shownDatabase() const
{
    return m_subCache >= 0 ? m_subCaches.value(m_subCache).database : m_database;
}

QStringList EntriesPage::tableNames() const
{
    return m_tables->tableNames();
}

void EntriesPage::selectTable(const QString& table, int subCache)
{
    m_tables->selectTable(table, subCache);
}

int EntriesPage::currentSubCache() const
{
    return m_subCache;
}

QString EntriesPage::currentTable() const
{
    return m_tables->currentTable();
}

void EntriesPage::showColumnsFrom(int first)
{
    if (m_model)
        showTable(m_model->view().table, first);
}

void EntriesPage::showTable(const QString& table, int firstColumn)
{
    Database* database = shownDatabase();
    if (!database)
        return;
    // A FanoutCache's main table is every shard's; a sub-cache's tables are its own database's.
    const auto main
        = m_shards.isEmpty() || m_subCache >= 0 ? Result<QString>(QString()) : Profiles::mainTable(m_database);
    EntryTableModel* model = main && !main.value().isEmpty() && main.value() == table
        ? static_cast<EntryTableModel*>(new FanoutEntryModel(m_shards, table, this, firstColumn))
        : new EntryModel(database, table, this, firstColumn);
    // Before the view's selection model connects: rows removed under the cursor move it (Qt), which
    // is not the user moving it away from the end Ctrl+End followed.
    connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this] { m_rowsMoving = true; });
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this] { m_rowsMoving = false; });
    m_ui->rowsView->setModel(model);
    EntryColumnChooser::of(m_ui->rowsView)
        ->apply(model->view().profile, CacheFormats::byId(model->view().profile).rarelyShownColumns());
    m_followEnd = false;
    if (auto* fanout = qobject_cast<FanoutEntryModel*>(model)) { // the shard first, where the eye starts
        QHeaderView* header = m_ui->rowsView->horizontalHeader();
        header->moveSection(header->visualIndex(fanout->shardColumn()), 0);
    }
    delete m_model;
    setShownModel(model);
    m_detail->clear(); // a read for the table shown before shows nothing here
    m_currentKey.clear();
    m_columnsFitted = false;
    const QSignalBlocker blocker(m_ui->filterColumn);
    const QSignalBlocker editBlocker(m_ui->filterEdit);
    m_ui->filterEdit->clear(); // a filter belongs to the table it was typed for
    m_ui->filterColumn->clear();
    // Named as the format's users name what they search by: "url" for requests-cache (whose key
    // is a hash, though the search finds it too), "prompt" for an LLM cache, else the key.
    const int key = model->view().columnIndex(EntryColumn::Role::Key);
    const QString searchedAs = CacheFormats::byId(model->view().profile).searchedAs();
    const QString keyName = !searchedAs.isEmpty() ? searchedAs : key >= 0 ? model->view().columns[key].name : tr("key");
    m_ui->filterColumn->addItem(model->view().searchSql.isEmpty() ? tr("any column") : keyName);
    m_ui->filterEdit->setPlaceholderText(model->view().searchSql.isEmpty()
            ? tr("Search every text column… (Ctrl+F)")
            : tr("Search the %1… (Ctrl+F)").arg(keyName));
    m_ui->filterColumn->addItems(model->view().columnNames());
    // Only formats that keep an expiry time (diskcache, requests-cache) can be filtered by it.
    const QSignalBlocker expiryBlocker(m_ui->expiryFilter);
    m_ui->expiryFilter->setCurrentIndex(0);
    m_ui->expiryFilter->setHidden(model->view().columnIndex(EntryColumn::Role::Expired) < 0);
    connect(m_ui->rowsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (!m_rowsMoving && m_model->windowStart() + current.row() + 1 != m_model->totalCount())
                m_followEnd = false; // moved away from the last entry
            m_currentKey = m_model->data(current, EntryModel::KeyRole).toList();
            if (current.isValid())
                m_detail->show(current.row());
            else
                m_detail->clear(); // its row went (deleted, or filtered out): no entry is selected
        });
    connect(model, &EntryTableModel::countProgress, this, [this](qint64 seen, qint64 estimate) {
        m_ui->countProgress->setVisible(estimate > 0);
        m_ui->cancelCountButton->setVisible(estimate > 0);
        m_ui->countProgress->setValue(int(std::min<qint64>(100, 100 * seen / std::max<qint64>(1, estimate))));
    });
    connect(model, &EntryTableModel::countCancelled, this, [this] {
        m_ui->countProgress->hide();
        m_ui->cancelCountButton->hide();
    });
    connect(model, &EntryTableModel::countFinished, this, [this] {
        followCurrentEntry();
        followEnd();
        m_ui->countProgress->hide();
        m_ui->cancelCountButton->hide();
        showStatus();
        updateRowButtons();
    });
    connect(model, &EntryTableModel::rowsAppended, this, [this] {
        followEnd();
        showStatus();
        updateRowButtons();
        fitColumnsOnce();
    });
    connect(model, &QAbstractItemModel::modelReset, this, [this] { updateRowButtons(); });
    connect(model, &EntryTableModel::pageLoaded, this, [this](int first, int last) {
        fitColumnsOnce();
        const int row = m_ui->rowsView->currentIndex().row();
        if (!m_detail->waitsForRow() || row < first || row > last)
            return;
        m_currentKey = m_model->data(m_ui->rowsView->currentIndex(), EntryModel::KeyRole).toList();
        m_detail->show(row);
    });
    showStatus();
    const EntryView& view = model->view();
    m_ui->previousColumnsButton->setVisible(view.omittedColumns > 0);
    m_ui->nextColumnsButton->setVisible(view.omittedColumns > 0);
    m_ui->previousColumnsButton->setEnabled(view.firstColumn > 0);
    m_ui->nextColumnsButton->setEnabled(view.firstColumn + view.columns.size() < view.totalColumns());
    updateRowButtons();
    model->setLiveInterval(LiveIntervalMs);
    if (model->waitsForLock()) // tried again while it is the table shown (nothing waits meanwhile)
        QTimer::singleShot(LiveIntervalMs, this, [this, shown = QPointer<EntryTableModel>(model), table, firstColumn] {
            if (shown && shown == m_model)
                showTable(table, firstColumn);
        });
}

void EntriesPage::fitColumnsOnce()
{
    if (m_columnsFitted || !m_model || m_model->rowCount() == 0 || !m_model->rowAt(0))
        return;
    m_columnsFitted = true;
    // The value (a requests-cache's response) takes the room the others leave; what the format is searched by (its
    // url, its prompt) keeps its width.
    const EntryView& view = m_model->view();
    const QString searchedAs = CacheFormats::byId(view.profile).searchedAs();
    EntryColumnFit::of(m_ui->rowsView)
        ->fit(view.columnIndex(EntryColumn::Role::Value),
            searchedAs.isEmpty() ? -1 : int(view.columnNames().indexOf(searchedAs)));
}

void EntriesPage::showEntryWithRowid(const QString& table, qint64 rowid, int shard)
{
    if (currentTable() != table || m_subCache >= 0)
        selectTable(table);
    if (!m_model || m_model->view().table != table || m_subCache >= 0)
        return;
    if (!m_model->filter().isEmpty()) {
        const QSignalBlocker editBlocker(m_ui->filterEdit);
        const QSignalBlocker expiryBlocker(m_ui->expiryFilter);
        m_ui->filterEdit->clear();
        m_ui->expiryFilter->setCurrentIndex(0);
        applyFilter();
    }
    m_followEnd = false;
    m_ui->statusLabel->setText(tr("Finding entry %1…").arg(rowid));
    m_model->locateRowid(rowid, shard, [this, rowid](int row) {
        showStatus();
        updateRowButtons();
        if (row < 0) {
            m_ui->statusLabel->setText(tr("Entry %1 is no longer in the cache.").arg(rowid));
            return;
        }
        const QModelIndex index = m_model->index(row, 0);
        m_ui->rowsView->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_ui->rowsView->scrollTo(index, QAbstractItemView::PositionAtCenter);
    });
}

void EntriesPage::updateRowButtons()
{
    const bool paged = m_model && m_model->windowCount() > 1;
    for (QToolButton* button :
        { m_ui->firstRowsButton, m_ui->previousRowsButton, m_ui->nextRowsButton, m_ui->lastRowsButton })
        button->setVisible(paged);
    if (!paged)
        return;
    const bool atStart = m_model->currentWindow() == 0;
    const bool atEnd = m_model->currentWindow() + 1 >= m_model->windowCount();
    m_ui->firstRowsButton->setEnabled(!atStart);
    m_ui->previousRowsButton->setEnabled(!atStart);
    m_ui->nextRowsButton->setEnabled(!atEnd);
    m_ui->lastRowsButton->setEnabled(!atEnd);
    const QString size = Format::count(m_model->windowRows());
    m_ui->previousRowsButton->setToolTip(tr("The table shows %1 rows at a time: show the previous %1").arg(size));
    m_ui->nextRowsButton->setToolTip(tr("The table shows %1 rows at a time: show the next %1").arg(size));
}

void EntriesPage::showRowWindow(int window)
{
    if (!m_model)
        return;
    m_followEnd = false;
    m_model->showWindow(std::clamp(window, 0, std::max(0, m_model->windowCount() - 1)));
    m_detail->blank();
    showStatus();
    updateRowButtons();
}

void EntriesPage::goToEdge(bool end)
{
    if (!m_model)
        return;
    const int window = end ? m_model->windowCount() - 1 : 0;
    if (window != m_model->currentWindow())
        showRowWindow(window);
    const int row = end ? m_model->rowCount() - 1 : 0;
    if (row < 0)
        return;
    const int column = std::max(0, m_ui->rowsView->currentIndex().column());
    const QModelIndex index = m_model->index(row, column);
    m_ui->rowsView->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_ui->rowsView->scrollTo(index);
    m_followEnd = end;
}

void EntriesPage::followEnd()
{
    if (m_followEnd && m_model && m_ui->rowsView->currentIndex().isValid()
        && m_model->windowStart() + m_ui->rowsView->currentIndex().row() + 1 != m_model->totalCount())
        goToEdge(true);
}

void EntriesPage::showStatus()
{
    m_ui->statusLabel->setText(statusText());
    m_emptyHint->setText(EntriesStatusText::emptyText(m_model));
}

QString EntriesPage::statusText() const
{
    return EntriesStatusText::of(
        m_model, shownDatabase(), m_subCache >= 0 ? m_subCaches.value(m_subCache).label : QString());
}

void EntriesPage::setFilterText(const QString& text, int column)
{
    m_ui->filterColumn->setCurrentIndex(column + 1);
    m_ui->filterEdit->setText(text);
    applyFilter();
}

void EntriesPage::applyFilter()
{
    m_filterDelay.stop();
    if (!m_model)
        return;
    m_followEnd = false;
    EntryFilter filter;
    const int column = m_ui->filterColumn->currentIndex() - 1;
    if (column < 0)
        filter.text = m_ui->filterEdit->text();
    else if (!m_ui->filterEdit->text().isEmpty())
        filter.columns.insert(column, m_ui->filterEdit->text());
    // The combo's order: All entries, Live only, Expired only.
    static constexpr EntryFilter::Expiry expiries[]
        = { EntryFilter::Expiry::Any, EntryFilter::Expiry::LiveOnly, EntryFilter::Expiry::ExpiredOnly };
    if (!m_ui->expiryFilter->isHidden())
        filter.expiry = expiries[std::clamp(m_ui->expiryFilter->currentIndex(), 0, 2)];
    if (filter.text == m_model->filter().text && filter.columns == m_model->filter().columns
        && filter.expiry == m_model->filter().expiry)
        return;
    m_model->setFilter(filter);
    // The rows (and the selection) are new: the entry shown before is no longer selected.
    m_detail->clear();
    m_currentKey.clear();
    showStatus();
}

void EntriesPage::focusFilter()
{
    m_ui->filterEdit->setFocus(Qt::ShortcutFocusReason);
    m_ui->filterEdit->selectAll();
}

void EntriesPage::followCurrentEntry()
{
    const QModelIndex current = m_ui->rowsView->currentIndex();
    if (!m_model || !current.isValid() || m_currentKey.isEmpty()
        || m_model->data(current, EntryModel::KeyRole).toList() == m_currentKey)
        return;
    const int row = m_model->findKey(m_currentKey, current.row());
    if (row < 0)
        return; // the entry is gone (deleted, or replaced and moved to the end)
    const QModelIndex moved = m_model->index(row, current.column());
    m_ui->rowsView->selectionModel()->setCurrentIndex(
        moved, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QString EntriesPage::detailText() const
{
    return m_detail->text();
}

void EntriesPage::exportTo(const QString& path, ExportScope scope, EntryExport::Binary binary)
{
    m_exporter->exportTo(path, scope, binary);
}

bool EntriesPage::isExporting() const
{
    return m_exporter->isExporting();
}

QString EntriesPage::copyText(const QString& what) const
{
    return m_clipboard->copyText(what);
}

void EntriesPage::copyKey()
{
    m_clipboard->copyKey();
}

void EntriesPage::copyEntry()
{
    m_clipboard->copyEntry();
}

void EntriesPage::requestDelete(bool wholeFilter)
{
    m_deleteRequest->request(wholeFilter);
}
