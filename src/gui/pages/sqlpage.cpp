// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/sqlpage.h"
#include "common/format.h"
#include "pages/visiblename.h"
#include "ui_sqlpage.h"

#include "entries/profiles.h"
#include "models/fanoutdatabases.h"
#include "models/queryresultmodel.h"
#include "pages/emptyviewhint.h"
#include "pages/entrycolumnfit.h"
#include "pages/sqlhighlighter.h"
#include "query/readonlyquery.h"
#include "query/readyqueries.h"
#include "tasks/backgroundtask.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLocale>
#include <QScrollBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString HistoryKey = u"sql/history"_s;

// The schema list as wide as its longest "column TYPE" (up to a third of the page), not cut at
// its first width ("access_count INTE…"); never narrower than it is, and left alone once the
// user moved the splitter (or it was restored).
void fitSchemaList(QSplitter* splitter, const QTreeWidget* tree)
{
    if (splitter->property("userSized").toBool())
        return;
    const QList<int> sizes = splitter->sizes();
    const int total = std::max(sizes.value(0) + sizes.value(1), splitter->window()->width() * 9 / 10);
    const QAbstractItemView* view = tree; // sizeHintForColumn is public there: the tree's, with its indentation
    const int wanted
        = view->sizeHintForColumn(0) + 2 * tree->frameWidth() + tree->verticalScrollBar()->sizeHint().width() + 8;
    const int list = std::min(wanted, total / 3);
    if (list > sizes.value(0))
        splitter->setSizes({ list, std::max(0, total - list) });
}
} // namespace

SqlPage::SqlPage(std::function<QString()> currentPath, QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::SqlPage>())
    , m_currentPath(std::move(currentPath))
    , m_model(new QueryResultModel(this))
{
    m_ui->setupUi(this);
    new SqlHighlighter(m_ui->sqlEdit->document());
    m_ui->sqlSplitter->setStretchFactor(0, 0);
    m_ui->sqlSplitter->setStretchFactor(1, 1);
    m_ui->sqlSplitter->setSizes({ 180, 800 });
    connect(m_ui->sqlSplitter, &QSplitter::splitterMoved, this,
        [this] { m_ui->sqlSplitter->setProperty("userSized", true); });
    m_schemaHint = EmptyViewHint::install(m_ui->schemaTree, tr("No cache open."));
    connect(m_ui->schemaTree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        m_ui->sqlEdit->insertPlainText(Database::quoteIdentifier(item->data(0, Qt::UserRole).toString()));
        m_ui->sqlEdit->setFocus();
    });
    m_ui->resultView->setModel(m_model);
    m_resultHint = EmptyViewHint::install(
        m_ui->resultView, tr("No statement run yet: type one above and press Run (Ctrl+Return). Its rows show here."));
    m_ui->resultView->horizontalHeader()->setDefaultSectionSize(160);
    // Columns sized to their first rows as the Entries table's are (a bytes value whole, not cut at 160 px).
    m_ui->resultView->horizontalHeader()->setResizeContentsPrecision(FitRows);
    m_ui->statusLabel->setText(tr("Results are capped at %1 rows.").arg(Format::count(QueryLimits::DefaultMaxRows)));
    connect(m_ui->runButton, &QPushButton::clicked, this, &SqlPage::run);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &SqlPage::cancel);
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(shortcut, &QShortcut::activated, this, &SqlPage::run);
    // Ctrl+C on a cell copies the number as stored, not the grouped "16,721" the cell shows (QAbstractItemView's own
    // copy takes the display text).
    auto* copyCell = new QAction(tr("Copy"), m_ui->resultView);
    copyCell->setShortcut(QKeySequence::Copy);
    copyCell->setShortcutContext(Qt::WidgetShortcut);
    m_ui->resultView->addAction(copyCell);
    connect(copyCell, &QAction::triggered, this, [this] {
        const QModelIndex cell = m_ui->resultView->currentIndex();
        if (cell.isValid())
            QGuiApplication::clipboard()->setText(m_model->data(cell, QueryResultModel::CopyRole).toString());
    });
    connect(m_ui->copyJsonButton, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(resultJson()); });
    connect(m_ui->copyCsvButton, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(QString::fromUtf8(resultCsv())); });
    connect(m_ui->historyCombo, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            setSql(m_ui->historyCombo->itemData(index).toString());
    });
    connect(m_ui->readyCombo, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            setSql(m_ui->readyCombo->itemData(index).toString());
    });
    m_ui->readyCombo->addItem(tr("Ready queries…"));
    rebuildHistory();
    m_partCombo = new QComboBox(this);
    m_partCombo->setObjectName(u"partCombo"_s);
    m_partCombo->setToolTip(tr("A FanoutCache is several SQLite files, one per shard (and one per named sub-cache): "
                               "a statement runs on the one chosen here."));
    m_partCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_partCombo->hide();
    m_ui->pickRow->insertWidget(0, m_partCombo);
    connect(m_partCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (isVisible())
            refreshReadyQueries(); // the chosen file's tables and ready queries
    });
}

void SqlPage::setParts(const FanoutDatabases& fanout)
{
    const QSignalBlocker quiet(m_partCombo);
    m_partCombo->clear();
    // Each with the file's path (its data and tooltip) and what the result calls it (PartRole).
    const auto add = [this](const QString& part, const QString& path) {
        m_partCombo->addItem(tr("Runs on %1").arg(part), path);
        m_partCombo->setItemData(m_partCombo->count() - 1, path, Qt::ToolTipRole);
        m_partCombo->setItemData(m_partCombo->count() - 1, part, PartRole);
    };
    const QStringList names = visiblePartNames(fanout);
    const QList<FanoutDatabases::Part> parts = fanout.parts();
    for (qsizetype i = 0; i < parts.size(); ++i)
        add(names.at(i), parts.at(i).database->path());
    m_partCombo->setVisible(m_partCombo->count() > 1);
    if (isVisible())
        refreshReadyQueries();
}

QStringList SqlPage::partLabels() const
{
    QStringList labels;
    for (int i = 0; i < m_partCombo->count(); ++i)
        labels << m_partCombo->itemText(i);
    return labels;
}

void SqlPage::choosePart(int index)
{
    m_partCombo->setCurrentIndex(index);
}

QString SqlPage::queryPath() const
{
    if (m_partCombo->count() > 1)
        return m_partCombo->currentData().toString();
    return m_currentPath ? m_currentPath() : QString();
}

QString SqlPage::partText() const
{
    if (m_partCombo->count() <= 1)
        return QString();
    return tr("%1 (%2)").arg(
        m_partCombo->currentData(PartRole).toString(), Format::elideMiddle(m_partCombo->currentData().toString(), 80));
}

SqlPage::~SqlPage()
{
    m_query.cancelCurrent(); // a running worker stops at its next progress check
}

void SqlPage::setSql(const QString& sql)
{
    m_ui->sqlEdit->setPlainText(sql);
}

QString SqlPage::statusText() const
{
    return m_ui->statusLabel->text();
}

void SqlPage::run()
{
    if (m_running)
        return;
    const QString path = queryPath();
    const QString sql = m_ui->sqlEdit->toPlainText();
    if (path.isEmpty() || sql.trimmed().isEmpty()) {
        showStatus(path.isEmpty() ? tr("Open a cache first.") : tr("Type a query first."), true);
        Q_EMIT queryFinished();
        return;
    }
    const CancelToken token = m_query.start();
    setRunning(true);
    showStatus(
        tr("Running… (Cancel stops it; the time limit is %1)").arg(Format::duration(QueryLimits::DefaultTimeoutMs)));
    BackgroundTask::run<Result<QueryResult>>(
        this,
        [path, sql, token]() -> Result<QueryResult> {
            // Its own connection on this worker thread, closed before the result travels back.
            auto query = ReadOnlyQuery::open(path);
            if (!query)
                return query.error();
            return query.value()->run(sql, QueryLimits(), &token.flag());
        },
        [this, token, sql, part = partText()](Result<QueryResult> result) {
            if (!m_query.isCurrent(token))
                return; // a newer query replaced this one
            setRunning(false);
            if (!result) {
                m_model->clear();
                m_resultHint->setText(tr("No rows: the statement did not run (the reason is above)."));
                // Refused or failed: styled as an error, and not kept in the history. A cancel is no error.
                showStatus(result.error().message, result.error().message != u"cancelled"_s);
            } else {
                remember(sql);
                QString text = tr("%1 in %2.")
                                   .arg(Format::counted(result->rows.size(), tr("row"), tr("rows")),
                                       Format::duration(result->elapsedMs));
                if (!part.isEmpty()) // one file of a FanoutCache: which, so no one reads it as the whole cache
                    text = tr("%1 From %2 only, one file of the FanoutCache.").arg(text, part);
                if (result->truncated)
                    text += result->truncatedReason == u"max_bytes"_s
                        ? tr(" Truncated: the results reached the memory cap.")
                        : tr(" Truncated at the cap of %1 rows.").arg(Format::count(result->maxRows));
                else
                    text += tr(" (Results are capped at %1 rows.)").arg(Format::count(result->maxRows));
                m_model->setResult(std::move(result.value()));
                m_resultHint->setText(tr("The statement returned no rows."));
                EntryColumnFit::of(m_ui->resultView)->fit(EntryColumnFit::NoStretch); // none wider than its cells
                showStatus(text);
            }
            m_ui->copyJsonButton->setEnabled(m_model->rowCount() > 0 || m_model->columnCount() > 0);
            m_ui->copyCsvButton->setEnabled(m_ui->copyJsonButton->isEnabled());
            Q_EMIT queryFinished();
        });
}

void SqlPage::cancel()
{
    if (!m_running)
        return;
    m_query.cancelCurrent();
    showStatus(tr("Cancelling…"));
}

void SqlPage::showStatus(const QString& text, bool isError)
{
    // An error stands out: red on pink, with the reason SQLite or the console gave.
    m_ui->statusLabel->setText(text);
    m_ui->statusLabel->setStyleSheet(isError ? u"QLabel { background: #fdecea; color: #611a15; border: 1px solid "
                                               "#f5c2c0; border-radius: 4px; padding: 4px; }"_s
                                             : QString());
    m_ui->statusLabel->setProperty("error", isError);
}

bool SqlPage::showsError() const
{
    return m_ui->statusLabel->property("error").toBool();
}

void SqlPage::setRunning(bool running)
{
    m_running = running;
    m_ui->runButton->setEnabled(!running);
    m_ui->cancelButton->setEnabled(running);
}

QString SqlPage::resultJson() const
{
    return QString::fromUtf8(QJsonDocument(m_model->result().toJson()).toJson(QJsonDocument::Indented));
}

QByteArray SqlPage::resultCsv() const
{
    return m_model->result().toCsv();
}

QStringList SqlPage::history()
{
    return QSettings().value(HistoryKey).toStringList();
}

void SqlPage::remember(const QString& sql)
{
    QStringList list = history();
    list.removeAll(sql);
    list.prepend(sql);
    while (list.size() > HistorySize)
        list.removeLast();
    QSettings().setValue(HistoryKey, list);
    rebuildHistory();
}

void SqlPage::rebuildHistory()
{
    m_ui->historyCombo->clear();
    m_ui->historyCombo->addItem(tr("History…"));
    for (const QString& sql : history())
        m_ui->historyCombo->addItem(Format::escapeControl(sql.simplified().left(120)), sql);
}

void SqlPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refreshReadyQueries();
}

void SqlPage::refreshReadyQueries()
{
    const QString path = queryPath();
    if (path == m_readyFor)
        return;
    m_readyFor = path;
    while (m_ui->readyCombo->count() > 1)
        m_ui->readyCombo->removeItem(1);
    m_ui->schemaTree->clear();
    // Never "No cache open." beside a cache that is: the list says what it is waiting for, or why it stays empty.
    m_schemaHint->setText(path.isEmpty() ? tr("No cache open.") : tr("Reading the tables…"));
    if (path.isEmpty())
        return;
    struct Found {
        QList<ReadyQuery> queries;
        QList<QPair<QString, QStringList>> schema; // table, "column TYPE" each
        QString error; // why the tables could not be read
    };
    BackgroundTask::run<Found>(
        this,
        [path]() -> Found {
            auto database = Database::open(path, Database::Mode::ReadOnly);
            Found found;
            if (!database) {
                found.error = database.error().message;
                return found;
            }
            auto profiles = Profiles::detect(database.value().get());
            found.queries = ReadyQueries::forProfiles(profiles ? profiles.value() : QMap<QString, QString>());
            const auto tables = database.value()->tables();
            if (!tables)
                found.error = tables.error().message;
            for (const QString& table : tables ? tables.value() : QStringList()) {
                QString literal = table;
                literal.replace(u'\'', u"''"_s);
                const auto columns = database.value()->queryValue(
                    u"SELECT group_concat(name || ' ' || type, char(31)) FROM pragma_table_info('%1')"_s.arg(literal));
                found.schema.append(
                    { table, columns ? columns->toString().split(QChar(31), Qt::SkipEmptyParts) : QStringList() });
            }
            return found;
        },
        [this, path](Found found) {
            if (path != m_readyFor)
                return;
            for (const ReadyQuery& query : std::as_const(found.queries))
                m_ui->readyCombo->addItem(Format::escapeControl(query.title), query.sql);
            m_schemaHint->setText(!found.error.isEmpty() ? tr("The tables could not be read: %1").arg(found.error)
                                                         : tr("This database has no tables."));
            showSchema(found.schema);
            Q_EMIT readyQueriesChanged();
        });
}

void SqlPage::showSchema(const QList<QPair<QString, QStringList>>& schema)
{
    m_ui->schemaTree->clear();
    for (const auto& [table, columns] : schema) {
        auto* item = new QTreeWidgetItem(m_ui->schemaTree, { Format::escapeControl(table) });
        item->setData(0, Qt::UserRole, table);
        item->setToolTip(0, tr("Table %1 — double-click to insert its name").arg(Format::escapeControl(table)));
        for (const QString& column : columns) {
            const QString name = column.section(u' ', 0, 0);
            auto* child = new QTreeWidgetItem(item, { Format::escapeControl(column) });
            child->setData(0, Qt::UserRole, name);
            child->setForeground(0, m_ui->schemaTree->palette().brush(QPalette::PlaceholderText));
        }
    }
    if (schema.size() <= 3)
        m_ui->schemaTree->expandAll();
    fitSchemaList(m_ui->sqlSplitter, m_ui->schemaTree);
}

QStringList SqlPage::schemaTables() const
{
    QStringList tables;
    for (int i = 0; i < m_ui->schemaTree->topLevelItemCount(); ++i)
        tables << m_ui->schemaTree->topLevelItem(i)->data(0, Qt::UserRole).toString();
    return tables;
}

QString SqlPage::schemaHintText() const
{
    return m_schemaHint->text();
}

QStringList SqlPage::readyQueryTitles() const
{
    QStringList titles;
    for (int i = 1; i < m_ui->readyCombo->count(); ++i)
        titles << m_ui->readyCombo->itemText(i);
    return titles;
}
