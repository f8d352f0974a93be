// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/sqlpage.h"
#include "common/format.h"
#include "ui_sqlpage.h"

#include "entries/profiles.h"
#include "models/queryresultmodel.h"
#include "query/readonlyquery.h"
#include "query/readyqueries.h"
#include "tasks/backgroundtask.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLocale>
#include <QSettings>
#include <QShortcut>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString HistoryKey = u"sql/history"_s;
}

SqlPage::SqlPage(std::function<QString()> currentPath, QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::SqlPage>())
    , m_currentPath(std::move(currentPath))
    , m_model(new QueryResultModel(this))
{
    m_ui->setupUi(this);
    m_ui->resultView->setModel(m_model);
    m_ui->resultView->horizontalHeader()->setDefaultSectionSize(160);
    m_ui->statusLabel->setText(tr("Results are capped at %L1 rows.").arg(QueryLimits::DefaultMaxRows));
    connect(m_ui->runButton, &QPushButton::clicked, this, &SqlPage::run);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &SqlPage::cancel);
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(shortcut, &QShortcut::activated, this, &SqlPage::run);
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
    const QString path = m_currentPath ? m_currentPath() : QString();
    const QString sql = m_ui->sqlEdit->toPlainText();
    if (path.isEmpty() || sql.trimmed().isEmpty()) {
        m_ui->statusLabel->setText(path.isEmpty() ? tr("Open a cache first.") : tr("Type a query first."));
        Q_EMIT queryFinished();
        return;
    }
    remember(sql);
    const CancelToken token = m_query.start();
    setRunning(true);
    m_ui->statusLabel->setText(
        tr("Running… (Cancel stops it; the time limit is %L1 s)").arg(QueryLimits::DefaultTimeoutMs / 1000));
    BackgroundTask::run<Result<QueryResult>>(
        this,
        [path, sql, token]() -> Result<QueryResult> {
            // Its own connection on this worker thread, closed before the result travels back.
            auto query = ReadOnlyQuery::open(path);
            if (!query)
                return query.error();
            return query.value()->run(sql, QueryLimits(), &token.flag());
        },
        [this, token](Result<QueryResult> result) {
            if (!m_query.isCurrent(token))
                return; // a newer query replaced this one
            setRunning(false);
            if (!result) {
                m_model->clear();
                m_ui->statusLabel->setText(result.error().message);
            } else {
                QString text = tr("%Ln row(s) in %1 ms.", nullptr, int(result->rows.size())).arg(result->elapsedMs);
                if (result->truncated)
                    text += result->truncatedReason == u"max_bytes"_s
                        ? tr(" Truncated: the results reached the memory cap.")
                        : tr(" Truncated at the cap of %L1 rows.").arg(result->maxRows);
                else
                    text += tr(" (Results are capped at %L1 rows.)").arg(result->maxRows);
                m_model->setResult(std::move(result.value()));
                m_ui->statusLabel->setText(text);
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
    m_ui->statusLabel->setText(tr("Cancelling…"));
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
    const QString path = m_currentPath ? m_currentPath() : QString();
    if (path == m_readyFor)
        return;
    m_readyFor = path;
    while (m_ui->readyCombo->count() > 1)
        m_ui->readyCombo->removeItem(1);
    if (path.isEmpty())
        return;
    BackgroundTask::run<QList<ReadyQuery>>(
        this,
        [path]() -> QList<ReadyQuery> {
            auto database = Database::open(path, Database::Mode::ReadOnly);
            if (!database)
                return {};
            auto profiles = Profiles::detect(database.value().get());
            return ReadyQueries::forProfiles(profiles ? profiles.value() : QMap<QString, QString>());
        },
        [this, path](QList<ReadyQuery> queries) {
            if (path != m_readyFor)
                return;
            for (const ReadyQuery& query : queries)
                m_ui->readyCombo->addItem(Format::escapeControl(query.title), query.sql);
            Q_EMIT readyQueriesChanged();
        });
}

QStringList SqlPage::readyQueryTitles() const
{
    QStringList titles;
    for (int i = 1; i < m_ui->readyCombo->count(); ++i)
        titles << m_ui->readyCombo->itemText(i);
    return titles;
}
