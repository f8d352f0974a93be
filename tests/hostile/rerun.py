#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #22's final condition: re-run every kind of hostile case it lists (1..13), the way the
third round tried them, and count the right answers per kind.

    rerun.py CLI GUI [--kinds 1,2,...] [--scale F] [--keep DIR]

CLI and GUI are the built cachescope-cli and cachescope (offscreen). --scale multiplies the
number of runs of the repeated kinds (1: 200 runs of info and of entries beside a real
connection-per-commit writer at 1.0). Prints one line per kind, "kind N: R of M right", the
wrong ones with what went wrong, then the totals; exit 0 only when every case is right. Every
case uses real files, real SQLite writers (the system python3's sqlite3 module), real signals.
Not run by ctest (minutes, and timing-dependent); tst_hostile holds each kind's fixed cases.
"""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rerunharness as harness  # noqa: E402  (beside this file)
from rerunfiles import kind3, kind4, kind5, kind6, kind7, kind10, kind11, kind12  # noqa: E402
from rerunlive import kind1, kind2, kind8, kind9, kind13  # noqa: E402


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    harness.CLI, harness.GUI = os.path.abspath(args[0]), os.path.abspath(args[1])
    kinds = list(range(1, 14))
    scale = 1.0
    keep = None
    i = 2
    while i < len(args):
        if args[i] == "--kinds":
            kinds = [int(k) for k in args[i + 1].split(",")]
            i += 2
        elif args[i] == "--scale":
            scale = float(args[i + 1])
            i += 2
        elif args[i] == "--keep":
            keep = args[i + 1]
            i += 2
        else:
            sys.exit(__doc__)
    harness.ROOT = keep or tempfile.mkdtemp(prefix="cachescope-rerun-")
    os.makedirs(harness.ROOT, exist_ok=True)
    funcs = {1: kind1, 2: kind2, 3: kind3, 4: kind4, 5: kind5, 6: kind6, 7: kind7, 8: kind8, 9: kind9, 10: kind10,
             11: kind11, 12: kind12, 13: kind13}
    try:
        for k in kinds:
            started = time.time()
            try:
                funcs[k](scale)
            except Exception as e:  # a harness failure is a wrong case, not a silent pass
                harness.record(k, "harness", False, repr(e))
            got = harness.RESULTS.get(k, [])
            right = sum(1 for _, ok, _ in got if ok)
            print("kind %d: %d of %d right (%.0f s)" % (k, right, len(got), time.time() - started), flush=True)
            for name, ok, why in got:
                if not ok:
                    print("    WRONG %s: %s" % (name, why.replace("\n", " ")), flush=True)
    finally:
        if not keep:
            shutil.rmtree(harness.ROOT, ignore_errors=True)
    total = sum(len(v) for v in harness.RESULTS.values())
    right = sum(1 for v in harness.RESULTS.values() for _, ok, _ in v if ok)
    print("total: %d of %d right" % (right, total))
    sys.exit(0 if right == total else 1)


if __name__ == "__main__":
    main()
