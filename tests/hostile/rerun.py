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
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cachefixtures import leave_wal, make_cache  # noqa: E402  (the corpus's own fixtures)

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


# 1 -------------------------------------------------------------------------------------------
PER_CALL_WRITER = r'''
import random, sqlite3, sys, time
path = sys.argv[1]
c = sqlite3.connect(path)
c.execute("PRAGMA journal_mode=wal")
c.execute("CREATE TABLE IF NOT EXISTS entries(id INTEGER PRIMARY KEY, key TEXT, value BLOB)")
c.executemany("INSERT INTO entries(id, key, value) VALUES(?, ?, randomblob(?))",
              [(n, "k%d" % n, random.randint(100, 40000)) for n in range(0, 2001, 2)])
c.commit()
c.close()
print("ready", flush=True)
i = 0
long_lived = len(sys.argv) > 2
c = sqlite3.connect(path, timeout=30) if long_lived else None
while True:
    if not long_lived:
        c = sqlite3.connect(path, timeout=30)
        c.execute("PRAGMA wal_autocheckpoint=200")
    for j in range(random.randint(1, 8)):
        c.execute("INSERT OR REPLACE INTO entries(id, key, value) VALUES(?, ?, randomblob(?))",
                  (random.randint(0, 2000), "k%d" % i, random.randint(100, 40000)))
    c.commit()
    if not long_lived:
        c.close()
    i += 1
    time.sleep(random.random() * 0.02)
'''


def kind1(scale):
    for writer in ("per-call", "long-lived"):
        d = fresh("k1-" + writer)
        db = os.path.join(d, "live.db")
        args = [sys.executable, "-c", PER_CALL_WRITER, db] + (["long"] if writer == "long-lived" else [])
        w = subprocess.Popen(args, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        w.stdout.readline()
        runs = int(200 * scale) if writer == "per-call" else int(100 * scale)
        try:
            for cmd in (["info", db, "--json"], ["entries", db, "--json", "--limit", "20"],
                        ["query", db, "SELECT count(*) FROM entries", "--json"]):
                for i in range(runs if cmd[0] != "query" else runs // 2):
                    code, out, err = run(cmd)
                    ok = code == 0 and not bad(err) and "permission denied" not in err
                    try:
                        json.loads(out)
                    except ValueError:
                        ok = False
                    record(1, "%s writer: %s #%d" % (writer, cmd[0], i), ok, "exit %d %s" % (code, err[:200]))
        finally:
            w.kill()
            w.wait()


# 2 -------------------------------------------------------------------------------------------
def kind2(scale):
    """A real `checkpoint --mode truncate` SIGKILLed midway, then every read with and without room."""
    trials = max(4, int(12 * scale))
    states = []
    for t in range(trials):
        d = fresh("k2-%d" % t)
        db = os.path.join(d, "c.db")
        make_cache(db, rows=100)
        leave_wal(db, 6000, first="CREATE TABLE more(a)", payload=4000)  # ~26 MB -wal
        expected = 6100
        cp = subprocess.Popen([CLI, "checkpoint", db, "--mode", "truncate"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        # Killed once it has started copying frames back (the db file grows), at a random moment.
        size0 = os.path.getsize(db)
        deadline = time.time() + 10
        while os.path.getsize(db) == size0 and time.time() < deadline and cp.poll() is None:
            time.sleep(0.0005)
        time.sleep(random.random() * 0.02)
        cp.send_signal(signal.SIGKILL)
        cp.wait()
        wal_bytes = os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0
        midway = wal_bytes > 0
        state = "midway" if midway else "finished"
        states.append(state)
        before = fingerprint(d)
        no_room = {"CACHESCOPE_PRIVATE_COPY_MAX_BYTES": "4096"}
        reads = {"info": (["info", db, "--json"], '"rows":%d' % expected),
                 "entries": (["entries", db, "--key", "wal-5999", "--json"], "wal-5999"),
                 "query": (["query", db, "SELECT count(*) FROM entries", "--json"], "[%d]" % expected)}
        for name, (cmd, answer) in reads.items():
            # No room: refused with the truth (midway) or read (nothing left in the -wal); nothing written.
            code, out, err = run(cmd, env=no_room)
            if midway:
                ok = code == 3 and "The cache is fine" in err and "--read-in-place" in err and not bad(err)
            else:
                ok = code == 0 and answer in out
            ok = ok and fingerprint(d) == before
            record(2, "%s trial %d, no room: %s" % (state, t, name), ok, "exit %d %s %s" % (code, err[:300], out[:100]))
            # Room: read from a private copy, nothing written.
            code, out, err = run(cmd)
            ok = code == 0 and answer in out and not bad(err) and fingerprint(d) == before
            record(2, "%s trial %d, room: %s" % (state, t, name), ok, "exit %d %s" % (code, err[:300]))
        # The choice taken: --read-in-place reads the right rows, writes only the -shm.
        for name, (cmd, answer) in reads.items():
            code, out, err = run(cmd + ["--read-in-place"], env=no_room)
            after = fingerprint(d)
            others_same = {k: v for k, v in after.items() if k != "c.db-shm"} == \
                {k: v for k, v in before.items() if k != "c.db-shm"}
            ok = code == 0 and answer in out and not bad(err) and others_same
            record(2, "%s trial %d, --read-in-place: %s" % (state, t, name), ok,
                   "exit %d %s %s" % (code, err[:300], out[:100]))
        # And the cache is whole: db + -wal pass integrity_check (a copy, checked by SQLite itself).
        c2 = tempfile.mkdtemp(dir=ROOT)
        shutil.copy(db, c2 + "/c.db")
        if os.path.exists(db + "-wal"):
            shutil.copy(db + "-wal", c2 + "/c.db-wal")
        c = sqlite3.connect(c2 + "/c.db")
        whole = c.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and \
            c.execute("SELECT count(*) FROM entries").fetchone()[0] == expected
        c.close()
        shutil.rmtree(c2)
        record(2, "%s trial %d: db + -wal whole" % (state, t), whole)
    print("    (kind 2: %d of %d checkpoints killed midway, the rest had finished)" % (states.count("midway"), trials))


# 3 -------------------------------------------------------------------------------------------
def kind3(scale):
    for b18 in (0, 1, 2, 3):
        for b19 in (0, 1, 2, 3):
            for cmd in (["info", "c.db", "--json"], ["entries", "c.db", "--json"],
                        ["query", "c.db", "SELECT count(*) FROM entries", "--json"], ["scan", ".", "--json"],
                        ["check", "c.db", "--window-ms", "500"]):
                d = fresh("k3-%d-%d-%s" % (b18, b19, cmd[0]))
                db = os.path.join(d, "c.db")
                make_cache(db, journal="wal" if 2 in (b18, b19) else "delete", rows=10)
                with open(db, "r+b") as f:
                    f.seek(18)
                    f.write(bytes([b18, b19]))
                before = fingerprint(d)
                code, out, err = run(cmd, cwd=d)
                # Readable (SQLite reads write version <= 2 / read version <= 2 as it would) or a clear
                # reason; never a crash, never a file created or changed.
                ok = code in (0, 1, 4) and fingerprint(d) == before and (code != 1 or err.strip())
                record(3, "bytes 18=%d 19=%d %s" % (b18, b19, cmd[0]), ok,
                       "exit %d %s; files %s" % (code, err[:200], sorted(fingerprint(d))))


# 4 -------------------------------------------------------------------------------------------
def foreign_wal(d, kind):
    db = os.path.join(d, "c.db")
    make_cache(db, rows=10)
    other = os.path.join(d, "other.db")
    if kind == "older-counter":
        # The same database, older: its -wal was written before the db moved on (a restored backup).
        # Page 1 is in that -wal (a schema change); the db then moved on in rollback mode, where
        # every commit counts up the change counter, and back to WAL.
        shutil.copy(db, other)
        leave_wal(other, 5, first="CREATE TABLE newer(a)")
        c = sqlite3.connect(db, isolation_level=None)
        c.execute("PRAGMA journal_mode=delete")
        for i in range(3):
            c.execute("INSERT INTO entries(key) VALUES ('newer-%d')" % i)
        c.execute("PRAGMA journal_mode=wal")
        c.close()
        os.rename(other + "-wal", db + "-wal")
    elif kind == "schema":
        c = sqlite3.connect(other, isolation_level=None)
        c.execute("PRAGMA journal_mode=wal")
        c.execute("CREATE TABLE logs(a)")
        c.close()
        pid = os.fork()
        if pid == 0:
            c = sqlite3.connect(other, isolation_level=None)
            c.execute("PRAGMA wal_autocheckpoint=0")
            c.execute("BEGIN")
            c.execute("CREATE TABLE metrics(b)")
            c.execute("INSERT INTO logs VALUES (1)")
            c.execute("COMMIT")
            os._exit(0)
        os.waitpid(pid, 0)
        os.rename(other + "-wal", db + "-wal")
    else:
        c = sqlite3.connect(other, isolation_level=None)
        c.execute("PRAGMA page_size=1024" if kind == "page-size" else "PRAGMA application_id=42")
        c.execute("PRAGMA journal_mode=wal")
        c.execute("CREATE TABLE entries(id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT)")
        c.close()
        leave_wal(other, 5, first="CREATE TABLE other_schema(a)")
        os.rename(other + "-wal", db + "-wal")
    for f in (other, other + "-shm", other + "-wal"):
        if os.path.exists(f):
            os.remove(f)
    if os.path.exists(db + "-shm"):
        os.remove(db + "-shm")
    return db


def kind4(scale):
    for kind in ("page-size", "app-id", "older-counter", "schema"):
        for cmd in (["checkpoint"], ["vacuum"], ["vacuum", "--json"], ["vacuum", "--into", "v.db"], ["enable-wal"],
                    ["prune", "--match", "k"]):
            d = fresh("k4-%s-%s" % (kind, "-".join(cmd).replace(".", "")))
            foreign_wal(d, kind)
            before = fingerprint(d)
            code, out, err = run([cmd[0], "c.db"] + cmd[1:], cwd=d)
            ok = code == 3 and "--accept-foreign-wal" in err and fingerprint(d) == before and not bad(err + out)
            record(4, "%s: %s" % (kind, " ".join(cmd)), ok, "exit %d %s %s" % (code, err[:200], out[:100]))


# 5 -------------------------------------------------------------------------------------------
def kind5(scale):
    d = fresh("k5")
    make_cache(os.path.join(d, "v.db"))
    os.mkdir(os.path.join(d, "sub"))
    os.symlink(d, os.path.join(d, "link"))
    for into in ("v.db-wal", "v.db-journal", "v.db-shm", "sub/../v.db-wal", "./v.db-journal", "link/v.db-shm",
                 os.path.join(d, "v.db-wal")):
        before = fingerprint(d)
        code, out, err = run(["vacuum", "v.db", "--into", into], cwd=d)
        ok = code == 2 and "sidecar of the source" in err and fingerprint(d) == before
        record(5, "vacuum --into " + into, ok, "exit %d %s" % (code, err[:200]))


# 6 -------------------------------------------------------------------------------------------
def kind6(scale):
    for length in (588, 4056):
        base = fresh("k6-%d" % length)
        # Nested directories so the full path is `length` characters. SQLite (python's too) opens
        # no such path: the cache is made at a short one and its directory moved into place.
        path = base
        while len(path) < length - 60:
            path = os.path.join(path, "d" * min(200, length - 60 - len(path)))
        name = "c" * (length - len(path) - 6) + ".db"
        work = os.path.join(base, "w")
        os.mkdir(work)
        make_cache(os.path.join(work, name), rows=10)
        leave_wal(os.path.join(work, name), 5)
        os.remove(os.path.join(work, name) + "-shm")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.rename(work, path)
        db = os.path.join(path, name)
        short = os.path.relpath(db, base)
        for label, p, cwd in (("full", db, None), ("relative", short, base)):
            for cmd, exits, words in (
                    (["info", p, "--json"], (0,), ['"rows":15']),
                    (["entries", p, "--limit", "100"], (0,), ["wal-4"]),
                    (["checkpoint", p], (1,), ["bytes"]),
                    (["vacuum", p], (1,), ["bytes"])):
                before = fingerprint(os.path.dirname(db))
                code, out, err = run(cmd, cwd=cwd)
                ok = code in exits and all(w in out + err for w in words) and \
                    "unable to open database file" not in err and fingerprint(os.path.dirname(db)) == before
                record(6, "%d chars (%s): %s" % (len(db), label, cmd[0]), ok, "exit %d %s" % (code, err[:200]))
        code, out, err = run(["scan", base, "--json"])
        record(6, "%d chars: scan" % len(db), code == 0 and ".db" in out, "exit %d %s" % (code, err[:200]))
        code, out, err = run(["delete", db, "--dry-run"])
        record(6, "%d chars: delete --dry-run" % len(db), code == 0, "exit %d %s" % (code, err[:200]))
        code, out, err = run(["delete", short], cwd=base)
        record(6, "%d chars: delete" % len(db), code == 0 and not os.path.exists(db), "exit %d %s" % (code, err[:200]))


# 7 -------------------------------------------------------------------------------------------
def kind7(scale):
    d = fresh("k7")
    os.mkfifo(os.path.join(d, "fifo.db"))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(os.path.join(d, "sock.db"))
    s.close()
    for target in ("fifo.db", "/dev/null", "/dev/zero", "sock.db"):
        for cmd in (["watch", target, "--duration-s", "1", "--json"], ["info", target], ["entries", target],
                    ["checkpoint", target], ["check", target, "--window-ms", "500"],
                    ["metrics", target, "--listen", "127.0.0.1:0"], ["query", target, "SELECT 1"],
                    ["vacuum", target], ["prune", target, "--match", "k"], ["enable-wal", target],
                    ["delete", target]):
            code, out, err = run(cmd, cwd=d, timeout=30)
            if cmd[0] == "delete":  # refuses to remove what is not a cache file: exit 3, with the reason
                ok = code == 3 and "not a regular file" in out + err and os.path.exists(
                    target if target.startswith("/") else os.path.join(d, target))
            else:
                ok = code == 1 and "not a regular file" in err
            record(7, "%s %s" % (cmd[0], target), ok, "exit %d %s" % (code, err[:200]))


# 8 -------------------------------------------------------------------------------------------
def kind8(scale):
    # SIGINT 0.2-0.4 s into an in-place vacuum of a large cache: cancelled (exit 1, cancelled true)
    # unless it had already committed (exit 0, and then it says it finished); never a lost commit.
    d = fresh("k8")
    db = os.path.join(d, "big.db")
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("PRAGMA journal_mode=wal")
    c.execute("CREATE TABLE entries(id INTEGER PRIMARY KEY, key TEXT NOT NULL, value BLOB)")
    c.execute("BEGIN")
    for i in range(60000):
        c.execute("INSERT INTO entries(key, value) VALUES(?, randomblob(4000))", ("k%d" % i,))
    c.execute("COMMIT")
    c.execute("DELETE FROM entries WHERE id % 3 = 0")
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    template = os.path.join(d, "template.db")
    shutil.copy(db, template)
    exits = []
    for i in range(max(4, int(10 * scale))):
        shutil.copy(template, db)
        p = subprocess.Popen([CLI, "vacuum", db, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.2 + random.random() * 0.2)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=120)
        out = out.decode()
        c = sqlite3.connect(db)
        rows = c.execute("SELECT count(*) FROM entries").fetchone()[0]
        ic = c.execute("PRAGMA quick_check").fetchone()[0]
        c.close()
        if p.returncode == 1:
            ok = '"cancelled":true' in out or "cancel" in err.decode().lower()
        else:
            ok = p.returncode == 0 and '"cancelled":false' in out
        ok = ok and rows == 40000 and ic == "ok"
        exits.append(p.returncode)
        record(8, "SIGINT into vacuum #%d (exit %d)" % (i, p.returncode), ok,
               "exit %d %s %s rows %d" % (p.returncode, out[:200], err[:200], rows))
    print("    (kind 8: SIGINT 0.2-0.4 s into a %d MB vacuum: %d cancelled (exit 1), %d had committed (exit 0))"
          % (os.path.getsize(template) >> 20, exits.count(1), exits.count(0)))
    # A SIGKILLed info leaves its private copy; the next run removes copies whose owner is gone.
    tmp = fresh("k8-tmp")
    src = fresh("k8-src")
    sdb = os.path.join(src, "c.db")
    make_cache(sdb, rows=10)
    leave_wal(sdb, 20000, payload=3000)
    os.remove(sdb + "-shm")
    for i in range(max(3, int(5 * scale))):
        p = subprocess.Popen([CLI, "info", sdb, "--json"], env=dict(os.environ, TMPDIR=tmp),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline and not any(n.startswith("cachescope-read-") for n in os.listdir(tmp)):
            time.sleep(0.001)
        p.send_signal(signal.SIGKILL)
        p.wait()
        code, out, err = run(["info", sdb, "--json"], env={"TMPDIR": tmp})
        left = [n for n in os.listdir(tmp) if n.startswith("cachescope")]
        record(8, "SIGKILLed info #%d: copy removed by the next run" % i, code == 0 and not left,
               "exit %d left %s %s" % (code, left, err[:200]))
    # A SIGKILLed vacuum --into leaves no partial copy under the target's name.
    for i in range(max(3, int(5 * scale))):
        target = os.path.join(d, "into-%d.db" % i)
        p = subprocess.Popen([CLI, "vacuum", template, "--into", target], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(0.05 + random.random() * 0.3)
        p.send_signal(signal.SIGKILL)
        p.wait()
        ok = True
        if os.path.exists(target):
            c = sqlite3.connect("file:%s?mode=ro" % target, uri=True)
            try:
                ok = c.execute("PRAGMA quick_check").fetchone()[0] == "ok" and \
                    c.execute("SELECT count(*) FROM entries").fetchone()[0] == 40000
            except sqlite3.DatabaseError:
                ok = False
            c.close()
        record(8, "SIGKILLed vacuum --into #%d: no partial target" % i, ok,
               "target %s exists" % target)


# 9 -------------------------------------------------------------------------------------------
RECREATOR = r'''
import os, random, sqlite3, sys, time
path = sys.argv[1]
print("ready", flush=True)
while True:
    if random.random() < 0.5:  # as if a delete had gone through: the cache is made anew
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(path + suffix)
            except OSError:
                pass
    c = sqlite3.connect(path, timeout=5)  # the file exists (empty when new) from here on
    try:
        c.execute("SELECT 1").fetchall()
        time.sleep(random.random() * 0.004)  # just created, held open, nothing written yet
        c.execute("PRAGMA journal_mode=wal")
        c.execute("CREATE TABLE IF NOT EXISTS entries(id INTEGER PRIMARY KEY, key TEXT, value BLOB)")
        c.execute("INSERT INTO entries(key, value) VALUES('k', randomblob(100))")
        c.commit()
    except sqlite3.Error:
        pass
    c.close()
    time.sleep(random.random() * 0.01)  # at rest: a delete can go through
'''


def kind9(scale):
    d = fresh("k9")
    db = os.path.join(d, "c.db")
    w = subprocess.Popen([sys.executable, "-c", RECREATOR, db], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    w.stdout.readline()
    exits = []
    try:
        for i in range(int(60 * scale)):
            code, out, err = run(["delete", db])
            # Deleted at rest, or refused (exit 3) with the reason — held (holders named when they
            # are still there to name), or changed while it was looked at; never "not an SQLite database".
            ok = (code in (0, 3)) and "not an SQLite database" not in err + out and \
                (code != 3 or "pid" in out + err or "locked by another process" in out + err
                 or "changed while" in out + err or "created it while it was being looked at" in out + err)
            if code == 1 and ("does not exist" in err or "nothing to delete" in err):
                ok = True  # removed by us a moment before, not yet recreated
            exits.append(code)
            record(9, "delete beside a recreating writer #%d" % i, ok, "exit %d %s %s" % (code, err[:200], out[:200]))
    finally:
        w.kill()
        w.wait()
    print("    (kind 9: %d deleted, %d refused as held, %d already gone)" % (exits.count(0), exits.count(3),
                                                                         exits.count(1)))


# 10-12 ---------------------------------------------------------------------------------------
def kind10(scale):
    d = fresh("k10")
    db = os.path.join(d, "c.db")
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("CREATE TABLE t(k TEXT PRIMARY KEY, v) WITHOUT ROWID")
    keys = [b"a", b"\xff\x00\xfe", b"\xff\x00\xff", b"b\x00", b"\xc3\x28", b"z"]
    for i, k in enumerate(keys):
        c.execute("INSERT INTO t VALUES (CAST(? AS TEXT), ?)", (k, i))
    c.close()
    for limit in (1, 2):
        seen, after, pages = [], None, 0
        while pages < 20:
            args = ["entries", db, "--table", "t", "--limit", str(limit), "--json"]
            if after:
                args += ["--after", after]
            code, out, err = run(args)
            if code != 0:
                break
            page = json.loads(out)
            seen += [r.get("v") for r in page.get("rows", [])]  # each key's own number
            after = page.get("next_cursor")
            pages += 1
            if not after:
                break
        ok = sorted(seen) == list(range(len(keys)))
        record(10, "paging a WITHOUT ROWID table with invalid UTF-8 keys, --limit %d" % limit, ok,
               "%d rows seen of %d in %d pages" % (len(seen), len(keys), pages))


def kind11(scale):
    d = fresh("k11")
    db = os.path.join(d, "c.db")
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, b BLOB)")
    c.execute("INSERT INTO t VALUES (1, '', NULL), (2, NULL, x''), (3, ' ', x'00')")
    c.close()
    code, out, err = run(["entries", db, "--json"])
    rows = {r["id"]: r for r in json.loads(out)["rows"]} if code == 0 else {}
    record(11, "empty text", rows.get(1, {}).get("v") == "", out[:300])
    record(11, "NULL text", 2 in rows and rows[2].get("v") is None, out[:300])
    record(11, "empty blob", 2 in rows and rows[2].get("b") is not None, out[:300])
    record(11, "NULL blob", 1 in rows and rows[1].get("b") is None, out[:300])
    code, out, err = run(["entries", db, "--key", "1", "--json"])
    record(11, "empty text by key", code == 0 and '"v":""' in out, out[:300])


def kind12(scale):
    d = fresh("k12")
    db = os.path.join(d, "c.db")
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("CREATE TABLE docs(id INTEGER PRIMARY KEY, doc TEXT, "
              "name TEXT GENERATED ALWAYS AS (json_extract(doc, '$.name')) VIRTUAL, "
              "n INT GENERATED ALWAYS AS (json_array_length(doc, '$.list')) STORED)")
    c.execute("CREATE INDEX by_name ON docs(json_extract(doc, '$.name'))")
    c.execute("""INSERT INTO docs(doc) VALUES('{"name":"ada","list":[1,2]}')""")
    c.execute("CREATE TABLE big(v TEXT)")
    c.execute("INSERT INTO big VALUES (?)", ("x" * 70000,))
    c.close()
    for cmd, words in ((["query", db, "SELECT name, n FROM docs", "--json"], ['"ada"', "2"]),
                       (["query", db, "SELECT id FROM docs WHERE json_extract(doc, '$.name') = 'ada'", "--json"],
                        ["[1]"]),
                       (["entries", db, "--table", "docs", "--json"], ['"name":"ada"']),
                       (["info", db, "--json"], ['"rows":1'])):
        code, out, err = run(cmd)
        ok = code == 0 and all(w in out for w in words) and "unsafe use" not in err and not bad(err)
        record(12, " ".join(cmd[0:1] + cmd[2:3]), ok, "exit %d %s %s" % (code, err[:200], out[:200]))
    code, out, err = run(["query", db, "SELECT v FROM big"])
    record(12, "query cuts a 70,000-character cell at 65,536", code == 0 and "…" in out and len(out) < 70000,
           "exit %d %d chars %s" % (code, len(out), err[:200]))


# 13 ------------------------------------------------------------------------------------------
def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return 0
    return 0


def kind13(scale):
    d = fresh("k13")
    db = os.path.join(d, "huge.db")
    c = sqlite3.connect(db, isolation_level=None)
    name = "t" * (1 << 20)
    c.execute('CREATE TABLE "%s"(id INTEGER PRIMARY KEY, "%s" TEXT)' % (name, "c" * 100000))
    c.execute('INSERT INTO "%s" VALUES (1, ?)' % name, ("v",))
    c.close()
    for when in (1, 3, 8):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        p = subprocess.Popen([GUI, db], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak, start = 0, time.time()
        while time.time() - start < when:
            peak = max(peak, rss_kib(p.pid))
            time.sleep(0.05)
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=10)
            ended = True
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            ended = False
        ok = ended and peak < 1024 * 1024
        print("    (kind 13: SIGTERM after %d s: %s, peak RSS %d MiB)" % (when, "ended" if ended else "ignored",
                                                                       peak // 1024))
        record(13, "GUI on a 1 MiB table name, SIGTERM after %d s" % when, ok,
               "ended %s, peak RSS %d MiB" % (ended, peak // 1024))
    # The window width: the GUI test suite measures it (tst_hugenames); here, the CLI's answers.
    for cmd in (["info", db, "--json"], ["entries", db, "--json"]):
        code, out, err = run(cmd)
        record(13, "cli %s on a 1 MiB table name" % cmd[0], code == 0, "exit %d %s" % (code, err[:200]))


def main():
    global CLI, GUI, ROOT
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    CLI, GUI = os.path.abspath(args[0]), os.path.abspath(args[1])
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
    ROOT = keep or tempfile.mkdtemp(prefix="cachescope-rerun-")
    os.makedirs(ROOT, exist_ok=True)
    funcs = {1: kind1, 2: kind2, 3: kind3, 4: kind4, 5: kind5, 6: kind6, 7: kind7, 8: kind8, 9: kind9, 10: kind10,
             11: kind11, 12: kind12, 13: kind13}
    try:
        for k in kinds:
            started = time.time()
            try:
                funcs[k](scale)
            except Exception as e:  # a harness failure is a wrong case, not a silent pass
                record(k, "harness", False, repr(e))
            got = RESULTS.get(k, [])
            right = sum(1 for _, ok, _ in got if ok)
            print("kind %d: %d of %d right (%.0f s)" % (k, right, len(got), time.time() - started), flush=True)
            for name, ok, why in got:
                if not ok:
                    print("    WRONG %s: %s" % (name, why.replace("\n", " ")), flush=True)
    finally:
        if not keep:
            shutil.rmtree(ROOT, ignore_errors=True)
    total = sum(len(v) for v in RESULTS.values())
    right = sum(1 for v in RESULTS.values() for _, ok, _ in v if ok)
    print("total: %d of %d right" % (right, total))
    sys.exit(0 if right == total else 1)


if __name__ == "__main__":
    main()
