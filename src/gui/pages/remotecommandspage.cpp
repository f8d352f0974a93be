// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/remotecommandspage.h"

#include "common/format.h"
#include "models/clicall.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {
QString cell(const QJsonValue& value)
{
    if (value.isNull())
        return u"NULL"_s;
    if (value.isString())
        return Format::escapeControl(value.toString());
    if (value.isDouble())
        return Format::real(value.toDouble());
    return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}
} // namespace

RemoteCommandsPage::RemoteCommandsPage(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_sql = new QPlainTextEdit(this);
    m_sql->setPlaceholderText(tr("One read-only SQL statement, run on the cache's host"));
    m_result = new QTableWidget(this);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    splitter->addWidget(m_sql);
    splitter->addWidget(m_result);
    splitter->addWidget(m_log);
    auto* row = new QHBoxLayout;
    auto* run = new QPushButton(tr("&Run SQL"), this);
    connect(run, &QPushButton::clicked, this, [this] { runQuery(m_sql->toPlainText()); });
    row->addWidget(run);
    row->addStretch();
    row->addWidget(new QLabel(tr("Maintenance there:"), this));
    // Checkpoint…, Vacuum… and Delete… open the local window's dialogs, run there (their window's).
    auto* checkpoint = new QPushButton(tr("Checkpoint…"), this);
    connect(checkpoint, &QPushButton::clicked, this, &RemoteCommandsPage::checkpointRequested);
    row->addWidget(checkpoint);
    auto* vacuum = new QPushButton(tr("Vacuum…"), this);
    connect(vacuum, &QPushButton::clicked, this, &RemoteCommandsPage::vacuumRequested);
    row->addWidget(vacuum);
    auto* remove = new QPushButton(tr("Delete…"), this);
    connect(remove, &QPushButton::clicked, this, &RemoteCommandsPage::deleteRequested);
    row->addWidget(remove);
    auto* prune = new QPushButton(tr("Prune…"), this);
    connect(prune, &QPushButton::clicked, this, &RemoteCommandsPage::pruneRequested);
    row->addWidget(prune);
    auto* scan = new QPushButton(tr("Scan Folder…"), this);
    connect(scan, &QPushButton::clicked, this, &RemoteCommandsPage::scanRequested);
    row->addWidget(scan);
    m_buttons.prepend(run);
    layout->addLayout(row);
    layout->addWidget(splitter);
}

void RemoteCommandsPage::showCache(const QString& address, const QStringList& extraArgs)
{
    m_address = address;
    m_extraArgs = extraArgs;
}

void RemoteCommandsPage::append(const QString& text)
{
    m_log->appendPlainText(text);
}

void RemoteCommandsPage::runQuery(const QString& sql)
{
    append(tr("query: running…"));
    CliCall::run(this, QStringList { u"query"_s, m_address, sql, u"--json"_s } + m_extraArgs,
        [this](const CliCall::Outcome& outcome) {
            Q_EMIT roundTrip(outcome.elapsedMs);
            if (!outcome.ok()) {
                append(tr("query: %1 (exit %2)").arg(Format::escapeControl(outcome.error, true)).arg(outcome.exitCode));
                Q_EMIT finished(u"query"_s, outcome.exitCode);
                return;
            }
            const QJsonObject result = QJsonDocument::fromJson(outcome.out).object();
            const QJsonArray columns = result[u"columns"_s].toArray();
            const QJsonArray rows = result[u"rows"_s].toArray();
            m_result->clear();
            m_result->setColumnCount(int(columns.size()));
            m_result->setRowCount(int(rows.size()));
            for (int c = 0; c < columns.size(); ++c)
                m_result->setHorizontalHeaderItem(
                    c, new QTableWidgetItem(Format::escapeControl(columns.at(c).toString())));
            for (int r = 0; r < rows.size(); ++r) {
                const QJsonArray row = rows.at(r).toArray();
                for (int c = 0; c < row.size() && c < columns.size(); ++c)
                    m_result->setItem(r, c, new QTableWidgetItem(cell(row.at(c))));
            }
            append(tr("query: %1 in %2")
                       .arg(Format::counted(rows.size(), tr("row"), tr("rows")), Format::duration(outcome.elapsedMs)));
            Q_EMIT finished(u"query"_s, 0);
        });
}

void RemoteCommandsPage::runMaintenance(const QString& command, bool ask)
{
    if (ask) {
        const QString question = command == u"delete"_s
            ? tr("Delete %1 with its -wal, -shm and value files? It is refused while a process there holds it.")
            : tr("Run %1 on %2? It changes the cache's files there.").arg(command);
        if (QMessageBox::question(this, tr("Remote %1").arg(command), question.arg(m_address)) != QMessageBox::Yes)
            return;
    }
    QStringList args { command, m_address };
    if (command == u"checkpoint"_s)
        args << u"--mode"_s << u"truncate"_s;
    for (QPushButton* button : std::as_const(m_buttons))
        button->setEnabled(false);
    append(tr("%1: running on the cache's host…").arg(command));
    CliCall::run(this, args + m_extraArgs, [this, command](const CliCall::Outcome& outcome) {
        for (QPushButton* button : std::as_const(m_buttons))
            button->setEnabled(true);
        Q_EMIT roundTrip(outcome.elapsedMs);
        const QString out = QString::fromUtf8(outcome.out).trimmed();
        if (!out.isEmpty())
            append(Format::escapeControl(out, true));
        if (!outcome.error.isEmpty())
            append(Format::escapeControl(outcome.error, true));
        append(outcome.ok() ? tr("%1: done").arg(command)
                            : tr("%1: not done (exit %2)").arg(command).arg(outcome.exitCode));
        Q_EMIT finished(command, outcome.exitCode);
    });
}
