// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "testsupport.h"

#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace TestSupport {

// The fixture of the tests that watch a live cache: a fresh temporary directory holding
// cache.db (table "entries", WAL, `rows` rows) and the Python children the test starts to
// hold or write it. reset() (or the destructor) stops the children before the directory goes.
class LiveCache {
public:
    ~LiveCache() { reset(); }
    // A new directory and cache; false if the directory could not be made.
    bool create(int rows = 5);
    void reset();
    QString db() const { return filePath(QStringLiteral("cache.db")); }
    QString filePath(const QString& name) const { return m_dir->filePath(name); }
    // Starts a child running script and waits until it prints "ready"; nullptr if it never does.
    PythonChild* start(const char* script, const QStringList& args);
    PythonChild* child(int index) const { return m_children.at(index).get(); }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<std::unique_ptr<PythonChild>> m_children;
};

} // namespace TestSupport
