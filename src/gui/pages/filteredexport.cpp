// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/filteredexport.h"

#include "common/format.h"
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

void FilteredExport::start(
    const QString& path, qint64 estimatedRows, EntryExport::Binary binary, const QList<QVariantList>& keys)
{
    if (m_running || m_future.isValid())
        return;
    m_running = true;
    m_path = path;
    // An unknown count (every entry of a table not yet counted): a busy bar.
    m_dialog = new QProgressDialog(tr("Exporting %1…").arg(m_table), tr("Cancel"), 0,
        estimatedRows > 0 ? int(std::min<qint64>(estimatedRows, std::numeric_limits<int>::max())) : 0, m_dialogParent);
    m_dialog->setWindowModality(Qt::WindowModal);
    m_dialog->setMinimumDuration(500);
    m_dialog->setAutoReset(false);
    m_dialog->setAutoClose(false);
    connect(m_dialog, &QProgressDialog::canceled, this, [cancel = m_cancel] { cancel.cancel(); });
    // With no count to go by, the entries written so far in words.
    const TaskProgress<qint64> progressTo(this, [this](const qint64& rows) {
        if (!m_running)
            return;
        if (m_dialog->maximum() > 0)
            m_dialog->setValue(int(std::min<qint64>(rows, m_dialog->maximum() - 1)));
        else
            m_dialog->setLabelText(tr("Exporting %1… %2 entries written").arg(m_table, Format::count(rows)));
    });
    // The QSaveFile lives and dies on the worker: created, written and committed there.
    EntryExport::Options options;
    options.format = EntryExport::formatForFile(path);
    options.binary = binary;
    options.keys = keys;
    m_future = BackgroundTask::run<Outcome>(
        this,
        [database = m_database, table = m_table, filter = m_filter, path, options, cancel = m_cancel,
            progressTo]() -> Outcome {
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly))
                return { 0, u"cannot write %1: %2"_s.arg(path, file.errorString()) };
            auto written = EntryExport::run(database, table, filter, options, &file, cancel.flag(),
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
