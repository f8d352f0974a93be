// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/welcomepage.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {
QPushButton* addButton(QGridLayout* grid, int row, const QString& text, const QString& help, const QString& name)
{
    auto* button = new QPushButton(text);
    button->setObjectName(name);
    button->setMinimumWidth(190);
    auto* label = new QLabel(help);
    label->setWordWrap(true);
    label->setBuddy(button);
    grid->addWidget(button, row, 0);
    grid->addWidget(label, row, 1);
    return button;
}
} // namespace

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(u"welcomePage"_s);
    auto* outer = new QVBoxLayout(this);
    auto* column = new QWidget(this);
    column->setMaximumWidth(760);
    auto* layout = new QVBoxLayout(column);
    auto* title = new QLabel(tr("<h2>Open a cache</h2><p>CacheScope shows an SQLite cache while your processes write "
                                "it: its journal mode, its -wal and locks, who writes, and its entries in their "
                                "library's terms (diskcache, requests-cache, sqlitedict, LLM caches).</p>"),
        column);
    title->setWordWrap(true);
    layout->addWidget(title);
    auto* grid = new QGridLayout;
    grid->setColumnStretch(1, 1);
    grid->setHorizontalSpacing(16);
    QPushButton* open = addButton(grid, 0, tr("&Open…"),
        tr("A database file. A cache in DELETE mode is switched to WAL, so it can be read while it is written."),
        u"welcomeOpen"_s);
    QPushButton* readOnly = addButton(grid, 1, tr("Open &Read-Only…"),
        tr("Changes nothing on disk: no switch to WAL; a cache nobody has open is read as a snapshot."),
        u"welcomeOpenReadOnly"_s);
    QPushButton* folder = addButton(grid, 2, tr("Open &Folder…"),
        tr("A diskcache or FanoutCache folder; any other folder is scanned for the caches in it."),
        u"welcomeOpenFolder"_s);
    m_demo = addButton(grid, 3, tr("Start the &Demo"),
        tr("A temporary LLM cache written by four simulated worker processes, to see live activity. It ends when "
           "you open another cache."),
        u"welcomeDemo"_s);
    layout->addLayout(grid);
    auto* recentLabel = new QLabel(tr("Recent caches (double-click or Enter to open):"), column);
    layout->addSpacing(12);
    layout->addWidget(recentLabel);
    m_recent = new QListWidget(column);
    m_recent->setObjectName(u"recentList"_s);
    m_recent->setTextElideMode(Qt::ElideMiddle);
    recentLabel->setBuddy(m_recent);
    layout->addWidget(m_recent, 1);
    auto* drop = new QLabel(tr("You can also drop a database file or a cache folder onto this window."), column);
    drop->setEnabled(false);
    layout->addWidget(drop);
    outer->addWidget(column, 1, Qt::AlignHCenter);

    connect(open, &QPushButton::clicked, this, [this] { Q_EMIT openRequested(false); });
    connect(readOnly, &QPushButton::clicked, this, [this] { Q_EMIT openRequested(true); });
    connect(folder, &QPushButton::clicked, this, &WelcomePage::openFolderRequested);
    connect(m_demo, &QPushButton::clicked, this, &WelcomePage::demoRequested);
    connect(m_recent, &QListWidget::itemActivated, this,
        [this](QListWidgetItem* item) { Q_EMIT recentRequested(item->data(Qt::UserRole).toString()); });
}

void WelcomePage::setRecent(const QStringList& paths)
{
    m_recent->clear();
    for (const QString& path : paths) {
        auto* item = new QListWidgetItem(path, m_recent);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
        if (!QFileInfo::exists(path))
            item->setText(tr("%1  (no longer exists)").arg(path));
    }
    if (paths.isEmpty()) {
        auto* none = new QListWidgetItem(tr("None yet"), m_recent);
        none->setFlags(Qt::NoItemFlags);
    } else {
        m_recent->setCurrentRow(0);
    }
}
