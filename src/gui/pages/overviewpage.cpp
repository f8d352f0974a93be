// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/overviewpage.h"
#include "ui_overviewpage.h"

#include "common/format.h"

using namespace Qt::Literals::StringLiterals;

OverviewPage::OverviewPage(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::OverviewPage>())
{
    m_ui->setupUi(this);
    m_refreshTimer.setInterval(1000);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        refreshFacts(); // a few PRAGMAs, each its own short read: no transaction is kept open
        refreshSizes();
    });
    clear();
}

OverviewPage::~OverviewPage() = default;

void OverviewPage::showDatabase(Database* database)
{
    m_database = database;
    m_files.emplace(database->path());
    refreshFacts();
    refreshSizes();
    m_refreshTimer.start();
}

void OverviewPage::clear()
{
    m_refreshTimer.stop();
    m_database = nullptr;
    m_files.reset();
    for (QLabel* label :
        { m_ui->pathValue, m_ui->journalValue, m_ui->sqliteValue, m_ui->pagesValue, m_ui->settingsValue,
            m_ui->dbSizeValue, m_ui->walSizeValue, m_ui->shmSizeValue, m_ui->journalSizeValue, m_ui->filesystemValue })
        label->setText(u"—"_s);
    std::fill(std::begin(m_shown), std::end(m_shown), -1);
}

qint64 OverviewPage::shownBytes(CacheFiles::Kind kind) const
{
    return m_shown[int(kind)];
}

void OverviewPage::refreshFacts()
{
    m_ui->pathValue->setText(m_database->path());
    QString journal = m_database->journalMode().toUpper();
    if (m_database->convertedToWal())
        journal += tr(" (converted from %1 when opened)").arg(m_database->previousJournalMode().toUpper());
    if (m_database->isReadOnly())
        journal += tr(" — opened read-only");
    m_ui->journalValue->setText(journal);
    auto facts = m_database->facts();
    if (!facts) {
        m_ui->pagesValue->setText(facts.error().message);
        return;
    }
    m_ui->sqliteValue->setText(facts->sqliteVersion);
    m_ui->pagesValue->setText(tr("%1 pages of %2 (%3 free)")
                                  .arg(facts->pageCount)
                                  .arg(Format::bytes(facts->pageSize))
                                  .arg(facts->freelistCount));
    static const char* const vacuumModes[] = { "none", "full", "incremental" };
    m_ui->settingsValue->setText(
        tr("auto_vacuum %1 · wal_autocheckpoint %2 pages · journal_size_limit %3")
            .arg(QLatin1String(vacuumModes[std::clamp<qint64>(facts->autoVacuum, 0, 2)]))
            .arg(facts->walAutocheckpoint)
            .arg(facts->journalSizeLimit < 0 ? tr("none") : Format::bytes(facts->journalSizeLimit)));
    const auto fs = CacheFiles::filesystemOf(m_database->path());
    m_ui->filesystemValue->setText(fs.network
            ? tr("%1 — a network filesystem: WAL needs shared memory and is unsafe here").arg(fs.type)
            : fs.type);
}

void OverviewPage::refreshSizes()
{
    if (!m_files)
        return;
    QLabel* const labels[] = { m_ui->dbSizeValue, m_ui->walSizeValue, m_ui->shmSizeValue, m_ui->journalSizeValue };
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        const auto info = m_files->stat(CacheFiles::Kind(i));
        m_shown[i] = info.bytes;
        labels[i]->setText(
            info.exists ? u"%1  (%2 bytes)"_s.arg(Format::bytes(info.bytes)).arg(info.bytes) : tr("absent"));
    }
}
