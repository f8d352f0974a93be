// SPDX-License-Identifier: GPL-3.0-or-later
#include "tasks/entryreader.h"

EntryReader::EntryReader(const QString& path, const EntryView& view, const EntryFilter& filter)
    : m_shared(std::make_shared<Shared>())
{
    m_shared->path = path;
    m_shared->view = view;
    m_shared->filter = filter;
}

Result<EntryPager*> EntryReader::Shared::pagerOrError()
{
    if (pager)
        return pager.get();
    if (openError)
        return *openError;
    auto opened = Database::open(path, Database::Mode::ReadOnly);
    if (!opened) {
        openError = opened.error();
        return opened.error();
    }
    database = std::move(opened.value());
    pager = std::make_unique<EntryPager>(database.get(), view);
    pager->setFilter(filter);
    return pager.get();
}
