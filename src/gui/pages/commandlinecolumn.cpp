// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/commandlinecolumn.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QHeaderView>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

CommandLineColumn::CommandLineColumn(QAbstractItemView* view, QHeaderView* header, int column)
    : QObject(view)
    , m_view(view)
    , m_header(header)
    , m_column(column)
{
}

void CommandLineColumn::install(QAbstractItemView* view, QHeaderView* header, int column)
{
    // Every column as wide as its contents ("CacheScope (this window)", not "this CacheSc…"); the command line
    // takes the rest, cut in the middle.
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(column, QHeaderView::Stretch);
    view->setTextElideMode(Qt::ElideMiddle);
    view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    auto* fitter = new CommandLineColumn(view, header, column);
    view->viewport()->installEventFilter(fitter);
    // The other columns follow their contents: a longer name or role narrows what is left.
    connect(header, &QHeaderView::sectionResized, fitter, [fitter](int logical) {
        if (logical != fitter->m_column)
            fitter->fitLater();
    });
    connect(header, &QHeaderView::sectionCountChanged, fitter, &CommandLineColumn::fitLater);
}

int CommandLineColumn::leastWidth(const QHeaderView* header, int column)
{
    // The title as the header sizes it (its margins and sort arrow), and room for "python3 …" under it.
    const int program = header->fontMetrics().horizontalAdvance(u"python3 …"_s) + 12;
    return std::max(header->sectionSizeHint(column), program);
}

bool CommandLineColumn::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize)
        fitLater();
    return QObject::eventFilter(watched, event);
}

void CommandLineColumn::fitLater()
{
    // Once the header has placed its sections (a mode set while it lays them out is undone by that pass).
    if (!m_fitPending) {
        m_fitPending = true;
        QMetaObject::invokeMethod(this, &CommandLineColumn::fit, Qt::QueuedConnection);
    }
}

void CommandLineColumn::fit()
{
    m_fitPending = false;
    if (m_column >= m_header->count())
        return;
    int others = 0;
    for (int section = 0; section < m_header->count(); ++section) {
        if (section != m_column && !m_header->isSectionHidden(section))
            others += m_header->sectionSize(section);
    }
    const int least = leastWidth(m_header, m_column);
    const bool stretch = m_view->viewport()->width() - others >= least;
    if (stretch && m_header->sectionResizeMode(m_column) != QHeaderView::Stretch) {
        m_header->setSectionResizeMode(m_column, QHeaderView::Stretch);
    } else if (!stretch) {
        if (m_header->sectionResizeMode(m_column) != QHeaderView::Fixed)
            m_header->setSectionResizeMode(m_column, QHeaderView::Fixed);
        if (m_header->sectionSize(m_column) != least)
            m_header->resizeSection(m_column, least);
    }
}
