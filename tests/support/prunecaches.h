// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "testsupport.h"

#include <QString>

// Caches for prune's tests, made by the real library (run with TestSupport::runPython) or by
// `cachescope-cli simulate`.
namespace PruneCaches {

using namespace Qt::Literals::StringLiterals;

// An llm_cache at db written by `cachescope-cli simulate`: `workers` processes writing `entries`
// entries in all, each response payloadBytes long (0: the simulator's default).
inline TestSupport::CliResult simulate(const QString& db, int workers, int entries, int payloadBytes = 0)
{
    QStringList args { u"simulate"_s, db, u"--workers"_s, QString::number(workers), u"--entries"_s,
        QString::number(entries) };
    if (payloadBytes > 0)
        args << u"--payload-bytes"_s << QString::number(payloadBytes);
    return TestSupport::runCli(args);
}

// A diskcache of 200 entries: every 4th value in a file (>= 32 KiB), every 2nd expired
// (cull_limit=0: diskcache culls nothing itself), tags "a" (odd) / "b" (even).
inline const QString diskcache = uR"py(
import diskcache, sys, time
c = diskcache.Cache(sys.argv[1], cull_limit=0)
for i in range(200):
    value = ("big-%d " % i) * 6000 if i % 4 == 0 else "small-%d" % i
    c.set("k%d" % i, value, expire=0.001 if i % 2 == 0 else None, tag="a" if i % 2 else "b")
c.set(("tuple", 7), {"pickled": [1, 2]}, tag="a")
time.sleep(0.05)
c.close()
)py"_s;

} // namespace PruneCaches
