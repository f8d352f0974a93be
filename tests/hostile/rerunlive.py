# SPDX-License-Identifier: GPL-3.0-or-later
"""rerun.py's kinds with live processes: real SQLite writers beside every read (1), a checkpoint
SIGKILLed midway (2), vacuums and reads interrupted by signals (8), a cache deleted and made
anew under the reader (9), the GUI on a 1 MiB table name stopped by SIGTERM (13)."""
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

import rerunharness as harness
from cachefixtures import leave_wal, make_cache
from rerunharness import bad, fingerprint, fresh, record, run


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
        cp = subprocess.Popen([harness.CLI, "checkpoint", db, "--mode", "truncate"], stdout=subprocess.DEVNULL,
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
        c2 = tempfile.mkdtemp(dir=harness.ROOT)
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
        p = subprocess.Popen([harness.CLI, "vacuum", db, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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
        p = subprocess.Popen([harness.CLI, "info", sdb, "--json"], env=dict(os.environ, TMPDIR=tmp),
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
        p = subprocess.Popen([harness.CLI, "vacuum", template, "--into", target], stdout=subprocess.DEVNULL,
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
        p = subprocess.Popen([harness.GUI, db], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
