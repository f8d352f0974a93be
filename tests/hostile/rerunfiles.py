# SPDX-License-Identifier: GPL-3.0-or-later
"""rerun.py's kinds with hostile files at rest: odd file-format version bytes in the header (3), a
-wal from another database (4), links (5), paths of 588 and 4,056 characters (6), a FIFO and a
socket named like caches (7), odd tables and values (10-12)."""
import json
import os
import shutil
import socket
import sqlite3

from cachefixtures import leave_wal, make_cache
from rerunharness import bad, fingerprint, fresh, record, run


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
