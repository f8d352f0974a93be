// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Python scripts for TestSupport::PythonChild: real writer and reader processes on a cache made
// by TestSupport::makeCache (table "entries"). Each prints "ready" and waits for stdin to close.
namespace WriterScripts {

// argv: path. Keeps one idle WAL connection open (no transaction), so the -wal and -shm stay
// after other connections close and nothing is checkpointed on their close.
inline const char* const holdOpen = R"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("SELECT count(*) FROM sqlite_master").fetchall()
print("ready")
sys.stdin.read()
)PY";

// argv: path, commits, rows per commit, payload bytes, checkpoint ("none"|"before"|"after"),
// optionally wal_autocheckpoint pages (default 0: never). synchronous=NORMAL; "before"/"after" run one PASSIVE
// checkpoint and print "log <busy> <log frames> <checkpointed frames>" (SQLite's own count of WAL frames).
inline const char* const writeCommits = R"PY(
import sqlite3, sys
path, n, rows, payload, ckpt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
c = sqlite3.connect(path, isolation_level=None, timeout=30)
c.execute("PRAGMA wal_autocheckpoint=%d" % (int(sys.argv[6]) if len(sys.argv) > 6 else 0))
c.execute("PRAGMA synchronous=NORMAL")
def checkpoint():
    print("log", *c.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
if ckpt == "before":
    checkpoint()
for i in range(n):
    c.execute("BEGIN IMMEDIATE")
    for j in range(rows):
        c.execute("INSERT INTO entries(key, value) VALUES(?, randomblob(?))", ("k%d-%d" % (i, j), payload))
    c.execute("COMMIT")
if ckpt == "after":
    checkpoint()
print("ready")
sys.stdin.read()
)PY";

// argv: path. Holds BEGIN IMMEDIATE plus an uncommitted insert: the WAL write lock.
inline const char* const holdWriteLock = R"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO entries(key, value) VALUES('held', 'x')")
print("ready")
sys.stdin.read()
)PY";

// argv: path. Holds a read transaction (a snapshot) open: pins the checkpoint.
inline const char* const holdReadTransaction = R"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN")
c.execute("SELECT count(*) FROM entries").fetchall()
print("ready")
sys.stdin.read()
)PY";

// argv: path, pause seconds between commits (default 0.005), wal_autocheckpoint pages (default
// SQLite's 1000). Commits one small row per transaction until stdin closes; prints "ready"
// after its first commit and "commits <n>" at the end.
inline const char* const writeContinuously = R"PY(
import sqlite3, sys, threading, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("PRAGMA synchronous=NORMAL")
if len(sys.argv) > 3:
    c.execute("PRAGMA wal_autocheckpoint=%d" % int(sys.argv[3]))
pause = float(sys.argv[2]) if len(sys.argv) > 2 else 0.005
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
n = 0
while not stop.is_set():
    c.execute("INSERT INTO entries(key, value) VALUES(?, randomblob(200))", ("w%d" % n,))
    n += 1
    if n == 1:
        print("ready")
    time.sleep(pause)
print("commits", n)
)PY";

// argv: path. One INSERT with a 0.2 s busy timeout; prints "committed" or "error: <reason>" —
// whether a real client can write while CacheScope holds (or has released) the write lock.
inline const char* const tryWrite = R"PY(
import sqlite3, sys
try:
    c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0.2)
    c.execute("INSERT INTO entries(key, value) VALUES('late', 'late')")
    print("committed")
except Exception as e:
    print("error:", e)
)PY";

// argv: cache directory. Debian's python3-diskcache setting small values ~90 times a second,
// each set well under a millisecond (the writers issue #9 had to name), until stdin closes.
inline const char* const diskcacheWriter = R"PY(
import diskcache, os, sys, threading, time
cache = diskcache.Cache(sys.argv[1])
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
cache.set("warm-%d" % os.getpid(), 1)
print("ready", flush=True)
n = 0
while not stop.is_set():
    cache.set("k%d-%d" % (os.getpid(), n % 300), os.urandom(200))
    n += 1
    time.sleep(0.01)
)PY";

} // namespace WriterScripts
