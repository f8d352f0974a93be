# SPDX-License-Identifier: GPL-3.0-or-later
"""rerun.py's harness: the built binaries and the scratch folder (set by rerun.main), the results
per kind, and what every kind does with them — run the CLI, fingerprint a folder, make a fresh
case folder, tell a "corrupt" answer."""
import hashlib
import os
import shutil
import subprocess

CLI = GUI = ""
ROOT = ""
RESULTS = {}


def record(kind, name, ok, why=""):
    RESULTS.setdefault(kind, []).append((name, ok, why))


def run(args, cwd=None, env=None, timeout=120):
    e = dict(os.environ)
    e.update(env or {})
    try:
        p = subprocess.run([CLI] + args, cwd=cwd, env=e, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, "", "still running after %d s (killed)" % timeout
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def fingerprint(directory):
    out = {}
    for name in sorted(os.listdir(directory)):
        p = os.path.join(directory, name)
        st = os.lstat(p)
        if os.path.isfile(p) and not os.path.islink(p):
            with open(p, "rb") as f:
                out[name] = hashlib.sha256(f.read()).hexdigest()
        else:
            out[name] = "special %o" % (st.st_mode >> 12)
    return out


def fresh(name):
    p = os.path.join(ROOT, name)
    if os.path.exists(p):
        shutil.rmtree(p)
    os.makedirs(p)
    return p


def bad(output):
    low = output.lower()
    return "corrupt" in low or "malformed" in low or "truncated:" in low
