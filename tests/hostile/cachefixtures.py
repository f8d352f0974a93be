# SPDX-License-Identifier: GPL-3.0-or-later
"""Caches in the states a crash leaves them in, made with the system python3's sqlite3 module (the
system libsqlite3): used by make_hostile.py's corpus, rerun.py and the tests' writer scripts
(tests/support/writerscripts.h)."""
import os
import sqlite3


def make_cache(path, journal="wal", rows=10):
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode=%s" % journal)
    c.execute("CREATE TABLE entries(id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT)")
    c.execute("BEGIN")
    for i in range(1, rows + 1):
        c.execute("INSERT INTO entries(key, value) VALUES(?, ?)", ("key-%d" % i, '{"answer": %d}' % i))
    c.execute("COMMIT")
    c.close()


def leave_wal(path, rows, first=None, payload=0):
    """Appends rows in one transaction from a child that dies without closing: they stay in -wal."""
    pid = os.fork()
    if pid == 0:
        c = sqlite3.connect(path, isolation_level=None)
        c.execute("PRAGMA wal_autocheckpoint=0")
        c.execute("BEGIN")
        if first:
            c.execute(first)
        for i in range(rows):
            c.execute("INSERT INTO entries(key, value) VALUES(?, ?)",
                      ("wal-%d" % i, "w" * payload if payload else "in the wal"))
        c.execute("COMMIT")
        os._exit(0)
    os.waitpid(pid, 0)


def leave_hot_journal(path):
    pid = os.fork()
    if pid == 0:
        c = sqlite3.connect(path, isolation_level=None)
        c.execute("PRAGMA cache_size=1")
        c.execute("BEGIN")
        c.execute("DELETE FROM entries")
        c.execute("INSERT INTO entries(key, value) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n "
                  "WHERE i<300) SELECT 'x' || i, randomblob(3000) FROM n")
        os._exit(0)
    os.waitpid(pid, 0)


def half_checkpoint(path):
    """The first half of the -wal's frames copied into the db file, as a checkpoint killed midway leaves it."""
    with open(path + "-wal", "rb") as wal, open(path, "r+b") as dbf:
        page_size = int.from_bytes(wal.read(32)[8:12], "big")
        frame = 24 + page_size
        frames = (os.path.getsize(path + "-wal") - 32) // frame
        for i in range(frames // 2):
            wal.seek(32 + i * frame)
            header = wal.read(24)
            dbf.seek((int.from_bytes(header[:4], "big") - 1) * page_size)
            dbf.write(wal.read(page_size))
