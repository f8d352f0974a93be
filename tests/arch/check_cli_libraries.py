#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared libraries cachescope-cli starts with (readelf -d's NEEDED entries).

Every ssh:// page starts the CLI twice (the local relay and the program there), so its start-up
is on every remote round trip: the metrics server's Qt Network and Qt HttpServer (with their 15
libraries, ~2 ms of CPU a start here) live in cachescope-metrics, which `cachescope-cli metrics`
execs, and never in cachescope-cli. cachescope-metrics must exist beside it (the build tree's
place; installed, it is in ../libexec/cachescope).
Usage: check_cli_libraries.py CLI METRICS
"""
import os
import subprocess
import sys

cli, metrics = sys.argv[1], sys.argv[2]
needed = [line.split("[", 1)[1].rstrip("]") for line in
          subprocess.run(["readelf", "-d", cli], capture_output=True, text=True, check=True).stdout.splitlines()
          if "(NEEDED)" in line]
problems = ["%s needs %s: it belongs to cachescope-metrics" % (cli, lib) for lib in needed
            if lib.startswith(("libQt6Network", "libQt6HttpServer", "libQt6WebSockets", "libQt6Gui", "libQt6Widgets"))]
if not os.access(metrics, os.X_OK):
    problems.append("%s is missing: `cachescope-cli metrics` execs it" % metrics)
print("\n".join(problems) if problems else "cachescope-cli needs: " + ", ".join(needed))
sys.exit(1 if problems else 0)
