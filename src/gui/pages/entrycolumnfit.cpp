// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entrycolumnfit.h"

#include "models/entrycells.h"

#include <QEvent>
#include <QHeaderView>
#include <QRegularExpression>
#include <QScopedValueRollback>
#include <QTableView>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
// Whether every non-empty value of column in the rows the header measures is a hash.
bool holdsHashes(const QAbstractItemModel* model, int column, int rows)
{
    bool any = false;
    for (int row = 0; row < std::min(rows, model->rowCount()); ++row) {
        const QString text = model->index(row, column).data(Qt::DisplayRole).toString();
        if (text.isEmpty() || text == u"…")
            continue;
        if (!EntryCells::looksLikeHash(text))
            return false;
        any = true;
    }
    return any;
}

// Every cell read a time as Format::utcText writes it (its seconds, milliseconds and zone would be cut first).
bool holdsTimes(const QAbstractItemModel* model, int column, int rows)
{
    static const QRegularExpression time(u"^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{3})? UTC$"_s);
    bool any = false;
    for (int row = 0; row < std::min(rows, model->rowCount()); ++row) {
        const QString shown = model->index(row, column).data(Qt::DisplayRole).toString();
        if (time.match(shown).hasMatch())
            any = true;
        else if (shown.size() > 12) // only a short word beside the times: NULL's ("never", "NULL")
            return false;
    }
    return any;
}
} // namespace

EntryColumnFit::EntryColumnFit(QTableView* view)
    : QObject(view)
    , m_view(view)
{
    setObjectName(QStringLiteral("entryColumnFit"));
    view->viewport()->installEventFilter(this);
    connect(view->horizontalHeader(), &QHeaderView::sectionResized, this, [this] {
        if (!m_fitting && !m_wanted.isEmpty())
            m_userSized = true; // a width the user dragged stays theirs
    });
}

EntryColumnFit* EntryColumnFit::of(QTableView* view)
{
    auto* fit = view->findChild<EntryColumnFit*>(QStringLiteral("entryColumnFit"), Qt::FindDirectChildrenOnly);
    return fit ? fit : new EntryColumnFit(view);
}

void EntryColumnFit::fit(int stretch, int kept)
{
    m_userSized = false;
    m_stretch = stretch;
    m_kept = kept;
    measure();
    fitToView();
}

void EntryColumnFit::measure()
{
    QHeaderView* header = m_view->horizontalHeader();
    const QAbstractItemModel* model = m_view->model();
    const int columns = model ? std::min(model->columnCount(), MaxColumns) : 0;
    const int rows = std::max(header->resizeContentsPrecision(), 1);
    m_wanted = QList<int>(columns);
    m_needed = QList<int>(columns);
    m_times = QList<bool>(columns);
    m_model = model;
    const QScopedValueRollback fitting(m_fitting, true);
    for (int column = 0; column < columns; ++column) {
        m_view->resizeColumnToContents(column);
        const bool hashes = holdsHashes(model, column, rows);
        const int needed = header->sectionSize(column);
        m_wanted[column] = hashes ? std::min(needed, HashWidth) : std::clamp(needed, MinWidth, MaxWidth);
        m_needed[column] = hashes ? m_wanted[column] : needed;
        m_times[column] = !hashes && holdsTimes(model, column, rows);
    }
}

void EntryColumnFit::fitToView()
{
    QHeaderView* header = m_view->horizontalHeader();
    const int columns = int(m_wanted.size());
    if (columns == 0)
        return;
    int stretch = m_stretch >= 0 && m_stretch < columns ? m_stretch : -1;
    if (stretch < 0) // the last one shown
        stretch = header->logicalIndex(std::min(header->count(), columns) - 1);
    if (stretch < 0 || stretch >= columns || header->isSectionHidden(stretch))
        stretch = columns - 1;
    if (m_stretch == NoStretch) // each column as its cells want: a one-column result is not the view's width
        stretch = -1;
    const int room = m_view->viewport()->width(); // a scroll bar coming resizes it: fitted again then
    QList<int> widths = m_wanted;
    if (stretch >= 0)
        widths[stretch] = std::min(widths[stretch], StretchFloor);
    const auto total = [&widths, header] {
        int sum = 0;
        for (int column = 0; column < widths.size(); ++column)
            sum += header->isSectionHidden(column) ? 0 : widths[column];
        return sum;
    };
    // A column cut at MaxWidth (a prompt, a URL) and the one the rows are searched by keep their width; the others,
    // when too wide, give way together, the widest first, never below ShrinkFloor.
    const auto cut = [this, stretch](int column) { return column != stretch && m_needed[column] > MaxWidth; };
    const auto gives = [&cut, this, stretch](int column) {
        return column != stretch && column != m_kept && !cut(column) && !m_times.value(column);
    };
    int widest = *std::max_element(widths.cbegin(), widths.cend());
    while (total() > room && widest > ShrinkFloor) {
        widest = std::max(ShrinkFloor, widest - 10);
        for (int column = 0; column < columns; ++column)
            if (gives(column))
                widths[column] = std::min(widths[column], widest);
    }
    // A cut column grows, left to right, up to what it needs while the columns up to it fit in the view: the ones
    // after it move right.
    int before = 0;
    for (int column = 0; column < columns; ++column) {
        const int left = room - before - widths[column];
        if (cut(column) && left > 0)
            widths[column] += std::min(m_needed[column] - widths[column], left);
        before += header->isSectionHidden(column) ? 0 : widths[column];
    }
    // Room left: the value column takes it all.
    if (stretch >= 0)
        widths[stretch] = std::max(widths[stretch], room - (total() - widths[stretch]));
    const QScopedValueRollback fitting(m_fitting, true);
    for (int column = 0; column < columns; ++column)
        header->resizeSection(column, widths[column]);
}

bool EntryColumnFit::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize && watched == m_view->viewport() && !m_userSized && !m_wanted.isEmpty()
        && m_model && m_view->model() == m_model)
        fitToView(); // the window grew or shrank: the value column follows it
    return QObject::eventFilter(watched, event);
}
