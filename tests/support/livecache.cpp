// SPDX-License-Identifier: GPL-3.0-or-later
#include "livecache.h"

namespace TestSupport {

bool LiveCache::create(int rows)
{
    reset();
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid())
        return false;
    makeCache(db(), QStringLiteral("wal"), rows);
    return true;
}

void LiveCache::reset()
{
    m_children.clear();
    m_dir.reset();
}

PythonChild* LiveCache::start(const char* script, const QStringList& args)
{
    m_children.push_back(std::make_unique<PythonChild>(QString::fromUtf8(script), args));
    return m_children.back()->waitReady(120000) ? m_children.back().get() : nullptr;
}

} // namespace TestSupport
