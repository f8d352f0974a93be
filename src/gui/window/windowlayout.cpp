// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/windowlayout.h"

#include <QMainWindow>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
// The QSettings key of a splitter's sizes: window/splitters/<its tab's page>/<its name>.
QString splitterKey(const QTabWidget* tabs, const QSplitter* splitter)
{
    const QWidget* page = splitter;
    while (page && page->parentWidget() && tabs->indexOf(const_cast<QWidget*>(page)) < 0)
        page = page->parentWidget();
    return u"window/splitters/%1/%2"_s.arg(page ? page->objectName() : QString(), splitter->objectName());
}
} // namespace

void WindowLayout::restore(QMainWindow* window, QTabWidget* tabs)
{
    QSettings settings;
    window->restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    tabs->setCurrentIndex(std::clamp(settings.value(u"window/tab"_s, 0).toInt(), 0, tabs->count() - 1));
    for (QSplitter* splitter : window->findChildren<QSplitter*>()) {
        // "userSized": the sizes are the user's; pages that fit a splitter to its contents leave it.
        if (splitter->restoreState(settings.value(splitterKey(tabs, splitter)).toByteArray()))
            splitter->setProperty("userSized", true);
    }
}

void WindowLayout::save(const QMainWindow* window, const QTabWidget* tabs)
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, window->saveGeometry());
    settings.setValue(u"window/tab"_s, tabs->currentIndex());
    for (const QSplitter* splitter : window->findChildren<QSplitter*>())
        settings.setValue(splitterKey(tabs, splitter), splitter->saveState());
}
