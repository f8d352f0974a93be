// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace TestSupport {

// ScratchDir: a test's own temporary folder, made new for each test function (renew() in
// init()) so no file of one test is seen by the next; removed with everything in it by the
// next renew(), by reset() or at the end.
class ScratchDir {
public:
    // A new, empty folder; false if it cannot be made.
    bool renew();
    void reset() { m_dir.reset(); }
    QString path() const { return m_dir->path(); }
    QString filePath(const QString& name) const { return m_dir->filePath(name); }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

} // namespace TestSupport
