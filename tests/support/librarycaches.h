// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "testsupport.h"

// One cache of each kind written by the real libraries (Debian's python3-diskcache,
// python3-requests-cache, python3-sqlitedict; the other formats from their exact DDL) in
// `folder`, by tests/support/make_caches.py. The run's exit code and stderr, for the test to check.
inline TestSupport::CliResult makeLibraryCaches(const QString& folder, int timeoutMs = 120000)
{
    return TestSupport::runPythonFile(
        QStringLiteral(CACHESCOPE_SOURCE_DIR "/tests/support/make_caches.py"), { folder }, timeoutMs);
}
