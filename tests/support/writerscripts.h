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

// argv: path. Keeps a connection open (a live -shm) and takes the WAL write lock (byte 120 of the -shm) as an open
// file description lock, as a VFS built with OFD locks would: /proc/locks names no process for it (pid -1).
inline const char* const holdWriteLockOfd = R"PY(
import fcntl, os, sqlite3, struct, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("SELECT count(*) FROM entries").fetchall()
fd = os.open(sys.argv[1] + "-shm", os.O_RDWR)
fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("@hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 120, 1, 0))
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

// argv: path, pid, rows [, opens: 2]. Holds BEGIN IMMEDIATE with `rows` uncommitted inserts (prints "ready"), then
// commits them once process pid has had the database file open `opens` times for 0.2 s (/proc/pid/fd; a process that
// already had it open n times passes n + 2): a vacuum in place has read
// its connection's data_version by then and waits for the write lock on its second connection, so the rows
// surely land while it runs. Prints "committed <rows>", or "error: …" when that never comes (60 s). pid "-": read
// from stdin after "ready" (the write lock held before that process starts).
inline const char* const commitWhenOpenedTwice = R"PY(
import os, sqlite3, sys, time
path, pid, rows = os.path.realpath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
opens = int(sys.argv[4]) if len(sys.argv) > 4 else 2
c = sqlite3.connect(path, isolation_level=None, timeout=30)
c.execute("BEGIN IMMEDIATE")
c.executemany("INSERT INTO entries(key, value) VALUES(?, randomblob(2000))", [("held%d" % i,) for i in range(rows)])
print("ready", flush=True)
if pid == "-":  # the pid comes on stdin, once it is known: the lock is held before that process starts
    pid = sys.stdin.readline().strip()
def opened():
    n = 0
    for fd in os.listdir("/proc/%s/fd" % pid):
        try:
            n += os.readlink("/proc/%s/fd/%s" % (pid, fd)) == path
        except OSError:
            pass
    return n
deadline = time.monotonic() + 60
# Open that many times for 0.2 s on end: the vacuum's second connection stays while it waits for this write lock;
# another connection of that process that comes and goes (the GUI's periodic summary) does not count.
since = None
while since is None or time.monotonic() - since < 0.2:
    since = (since or time.monotonic()) if opened() >= opens else None
    if time.monotonic() > deadline:
        c.execute("ROLLBACK")
        print("error: pid %s never had %s open %d times" % (pid, path, opens), flush=True)
        sys.exit(1)
    time.sleep(0.001)  # the poll's interval, not a wait for the vacuum
c.execute("COMMIT")
print("committed", rows, flush=True)
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

// argv: path, seconds held, seconds paused. Commits one row per transaction until stdin closes, each holding the
// write lock for the seconds held (BEGIN IMMEDIATE, an insert, a sleep, COMMIT), then pausing: two of them take turns
// at the lock and wait for each other (30 s busy timeout). Prints "ready" after its first commit.
inline const char* const writeSlowTransactions = R"PY(
import os, sqlite3, sys, threading, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
held, paused = float(sys.argv[2]), float(sys.argv[3])
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
n = 0
while not stop.is_set():
    c.execute("BEGIN IMMEDIATE")
    c.execute("INSERT INTO entries(key, value) VALUES(?, randomblob(200))", ("slow%d-%d" % (os.getpid(), n),))
    time.sleep(held)
    c.execute("COMMIT")
    n += 1
    if n == 1:
        print("ready", flush=True)
    time.sleep(paused)
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

// argv: path. A reader: one read-write SQLite connection (as most clients open it) reading the
// table "entries" about 100 times a second, never writing, until stdin closes.
inline const char* const readContinuously = R"PY(
import sqlite3, sys, threading, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
c.execute("SELECT count(*) FROM entries").fetchall()
print("ready", flush=True)
while not stop.is_set():
    c.execute("SELECT count(*) FROM entries").fetchall()
    time.sleep(0.01)
)PY";

// Clients that log the truth: each waits until its go-file exists (so a watcher can start first),
// writes, and prints "committed N" — the commits SQLite reported as done — then waits for stdin
// to close. Failed writes ("database is locked") are not counted.

// The seed's own client: a new sqlite3 connection per call (default 5 s timeout), 4
// ProcessPoolExecutor workers. argv: path, tasks, go-file, journal mode ("wal"/"delete").
// Prints "worker PID" per worker and "ready" when the pool runs.
inline const char* const seedClient = R"PY(
import os, sqlite3, sys, time
from concurrent.futures import ProcessPoolExecutor
path, tasks, go, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def hello():
    os.write(1, b"worker %d\n" % os.getpid())
def store(i):
    try:
        c = sqlite3.connect(path)
        c.execute("INSERT INTO entries(key, value) VALUES(?, randomblob(300))", ("k%d" % i,))
        c.commit()
        c.close()
        return 1
    except sqlite3.OperationalError:
        return 0
if __name__ == "__main__":
    c = sqlite3.connect(path)
    c.execute("PRAGMA journal_mode=%s" % mode).fetchall()
    c.close()
    with ProcessPoolExecutor(4, initializer=hello) as pool:
        list(pool.map(time.sleep, [0.3] * 4))
        print("ready", flush=True)
        while not os.path.exists(go):
            time.sleep(0.01)
        done = sum(pool.map(store, range(tasks)))
    print("committed %d" % done, flush=True)
    sys.stdin.read()
)PY";

// Debian's python3-diskcache: argv: folder, sets, go-file.
inline const char* const diskcacheCounted = R"PY(
import diskcache, os, sys, time
cache = diskcache.Cache(sys.argv[1])
sets, go = int(sys.argv[2]), sys.argv[3]
cache.set("warm-%d" % os.getpid(), 1)
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.01)
done = 0
for i in range(sets):
    try:
        cache.set("k%d-%d" % (os.getpid(), i % 300), os.urandom(200))
        done += 1
    except diskcache.Timeout:
        pass
    time.sleep(0.002)
print("committed %d" % done, flush=True)
sys.stdin.read()
)PY";

// One long-lived WAL connection committing one row at a time (autocheckpoints reset the -wal).
// argv: path, commits, go-file.
inline const char* const longLivedCounted = R"PY(
import os, sqlite3, sys, time
path, commits, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(path, isolation_level=None, timeout=30)
c.execute("PRAGMA journal_mode=wal").fetchall()
c.execute("PRAGMA wal_autocheckpoint=50").fetchall()
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.01)
done = 0
for i in range(commits):
    c.execute("INSERT INTO entries(key, value) VALUES(?, randomblob(2000))", ("l%d" % i,))
    done += 1
    if i % 20 == 0:
        time.sleep(0.001)
print("committed %d" % done, flush=True)
sys.stdin.read()
)PY";

// A bystander: has the db (and the -wal when there is one) open read-only, never writes to
// them, and writes to a pipe all the time. argv: path.
inline const char* const pipeWritingReader = R"PY(
import os, sys, threading, time
path = sys.argv[1]
files = [open(path, "rb")]
if os.path.exists(path + "-wal"):
    files.append(open(path + "-wal", "rb"))
r, w = os.pipe()
threading.Thread(target=lambda: [os.read(r, 65536) for _ in iter(int, 1)], daemon=True).start()
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
print("ready", flush=True)
while not stop.is_set():
    os.write(w, b"x" * 4096)
    files[0].seek(0); files[0].read(100)
    time.sleep(0.001)
)PY";

// Not a PythonChild: run to its end (runProgram). The state a TRUNCATE checkpoint SIGKILLed
// midway leaves (#22.2): on a cache made by makeCache, a writer that died without closing leaves
// `rows` rows (and a new table) in the -wal, then the first half of the -wal's frames is copied
// into the db file, as the checkpoint had done when it was killed. The db file alone is then
// inconsistent while db + -wal are whole. argv: path, rows, "keep-shm" | "no-shm". Prints
// "alone <integrity_check of the db file alone> whole <integrity_check of a copy of db + -wal>".
inline const char* const halfCheckpointed
    = "import sys\nsys.dont_write_bytecode = True\nsys.path.insert(0, \"" CACHESCOPE_SOURCE_DIR "/tests/hostile\")\n"
      R"PY(
import os, shutil, sqlite3, tempfile
from cachefixtures import half_checkpoint, leave_wal  # the hostile corpus's own
path, rows, shm = sys.argv[1], int(sys.argv[2]), sys.argv[3]
leave_wal(path, rows, first="CREATE TABLE more(a)")
half_checkpoint(path)
if shm == "no-shm" and os.path.exists(path + "-shm"):
    os.remove(path + "-shm")
def check(uri):
    try:
        c = sqlite3.connect(uri, uri=True)
        r = c.execute("PRAGMA integrity_check").fetchone()[0]
        c.close()
        return r.split()[0] if r == "ok" else "damaged"
    except sqlite3.DatabaseError:
        return "damaged"
alone = check("file:%s?immutable=1" % path)
d = tempfile.mkdtemp()
shutil.copy(path, d + "/c.db"); shutil.copy(path + "-wal", d + "/c.db-wal")
whole = check("file:%s/c.db" % d)
shutil.rmtree(d)
print("alone", alone, "whole", whole)
)PY";

// A bystander that never touches the cache: it keeps creating, writing (8 KiB, more than a
// page) and deleting small files of its own in the cache's folder (argv[1]), always eight open
// for writing. On ext4 its new files get the inode numbers a -journal, -wal or -shm just gave
// back, so a watcher that matches open files or locks by a remembered inode alone names it.
// Runs until stdin closes.
inline const char* const fileChurner = R"PY(
import os, sys, threading, time
folder = sys.argv[1]
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
print("ready", flush=True)
held, n = [], 0
while not stop.is_set():
    name = os.path.join(folder, "churn-%d-%d.tmp" % (os.getpid(), n))
    f = open(name, "wb", buffering=0)
    f.write(b"c" * 8192)
    held.append((name, f))
    n += 1
    if len(held) > 8:
        old, g = held.pop(0)
        g.close()
        os.unlink(old)
    time.sleep(0.0005)
for name, f in held:
    f.close()
    os.unlink(name)
)PY";

} // namespace WriterScripts
