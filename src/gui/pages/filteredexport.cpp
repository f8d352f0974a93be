// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/filteredexport.h"

#include "entries/entryexport.h"
#include "tasks/backgroundtask.h"

#include <QProgressDialog>
#include <QSaveFile>

using namespace Qt::Literals::StringLiterals;

FilteredExport::FilteredExport(
    const QString& database, const QString& table, const EntryFilter& filter, QWidget* dialogParent)
    : m_database(database)
    , m_table(table)
    , m_filter(filter)
    , m_dialogParent(dialogParent)
{
}

FilteredExport::~FilteredExport()
{
    m_cancel.cancel();
    m_future.waitForFinished();
    delete m_dialog;
}

void FilteredExport::start(const QString& path, qint64 estimatedRows)
{
    if (m_running || m_future.isValid())
        return;
    m_running = true;
    m_path = path;
    m_dialog = new QProgressDialog(tr("Exporting %1…").arg(m_table), tr("Cancel"), 0,
        int(std::clamp<qint64>(estimatedRows, 1, std::numeric_limits<int>::max())), m_dialogParent);
    m_dialog->setWindowModality(Qt::WindowModal);
    m_dialog->setMinimumDuration(500);
    m_dialog->setAutoReset(false);
    m_dialog->setAutoClose(false);
    connect(m_dialog, &QProgressDialog::canceled, this, [cancel = m_cancel] { cancel.cancel(); });
    const TaskProgress<qint64> progressTo(this, [this](const qint64& rows) {
        if (m_running)
            m_dialog->setValue(int(std::min<qint64>(rows, m_dialog->maximum() - 1)));
    });
    // The QSaveFile lives and dies on the worker: created, written and committed there.
    const auto format = EntryExport::formatForFile(path);
    m_future = BackgroundTask::run<Outcome>(
        this,
        [database = m_database, table = m_table, filter = m_filter, path, format, cancel = m_cancel,
            progressTo]() -> Outcome {
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly))
                return { 0, u"cannot write %1: %2"_s.arg(path, file.errorString()) };
            auto written = EntryExport::run(database, table, filter, format, &file, cancel.flag(),
                [&progressTo](qint64 rows) { progressTo.report(rows); });
            if (cancel.isCancelled())
                return { 0, u"export cancelled: %1 was left as it was"_s.arg(path) };
            if (!written)
                return { 0, written.error().message };
            if (!file.commit())
                return { 0, u"cannot write %1: %2"_s.arg(path, file.errorString()) };
            return { written.value(), {} };
        },
        [this](Outcome outcome) { finish(outcome); });
}

void FilteredExport::finish(const Outcome& outcome)
{
    m_running = false;
    m_dialog->reset();
    m_dialog->hide();
    Q_EMIT finished(m_path, outcome.written, outcome.error);
}
