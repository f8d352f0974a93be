#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile-input corpus for cachescope-cli (issue #12), generated fresh for every run.

    make_hostile.py make DIR        creates one sub-directory per case in DIR and prints a JSON
                                    manifest: [{name, item, dir, db, args, exit, stderr, stdout,
                                    absent, holder, unchanged}] (args relative to DIR/dir)
    make_hostile.py hold KIND DB    holds DB the way case KIND needs (prints "ready", then
                                    waits until stdin closes)

Every case names the exit code and the words of the clear answer it must get. Unless a case
says "unchanged": false, the test checks the db and every sidecar are byte-identical (sha256)
and no file appeared or vanished. Uses only the system python3 and its sqlite3 module (the
system libsqlite3), real files, real locks, real processes.
"""
import json
import os
import sqlite3
import stat
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree by the import below
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # also when run by runpy.run_path
from cachefixtures import half_checkpoint, leave_hot_journal, leave_wal, make_cache  # noqa: E402


CASES = []
CURRENT_DIR = [""]


def case(name, item, args, exit_code, stderr=(), stdout=(), absent=(), holder=None, unchanged=True, db="c.db",
         as_nobody=False, env=None, written=()):
    # as_nobody: run as user nobody when the test runs as root (permissions do not bind root).
    # written: the only files that may change or appear (unchanged must then be False).
    CASES.append({"name": name, "item": item, "args": args, "exit": exit_code, "stderr": list(stderr),
                  "stdout": list(stdout), "absent": list(absent), "holder": holder, "unchanged": unchanged,
                  "db": db, "dir": CURRENT_DIR[0], "as_nobody": as_nobody, "env": env or {},
                  "written": list(written)})


def build(root):
    def d(name):
        path = os.path.join(root, name)
        os.mkdir(path)
        CURRENT_DIR[0] = name
        return path

    # 1: a live cache whose db header is ahead of its file (a checkpoint in progress).
    make_cache(os.path.join(d("live-ahead-header"), "c.db"), rows=10)
    for cmd in (["entries", "c.db", "--limit", "1", "--json"], ["info", "c.db", "--json"]):
        case("live-ahead-header " + cmd[0], 1, cmd, 0, absent=["truncated:", "corrupt:"], holder="ahead-header",
             unchanged=False)

    # 3: control and bidi characters in names and values.
    p = os.path.join(d("escapes"), "c.db")
    c = sqlite3.connect(p, isolation_level=None)
    table = "rtl\u202eexe.live"
    column = "col\x1b]52;c;SGVsbG8=\x07"
    c.execute('CREATE TABLE "%s"(id INTEGER PRIMARY KEY, "%s" TEXT)' % (table, column))
    c.execute('INSERT INTO "%s"("%s") VALUES(?)' % (table, column), ("\x1b[2J\x1b]0;owned\x07\rX\u202e",))
    c.close()
    for cmd in (["entries", "c.db", "--table", table], ["info", "c.db"]):
        case("escapes " + cmd[0], 3, cmd, 0, stdout=["\\u202E"], absent=["\x1b", "\r", "\u202e", "\x07"])

    # 6: statements that do not end, or build huge values.
    p = os.path.join(d("endless-view"), "c.db")
    c = sqlite3.connect(p, isolation_level=None)
    c.execute("CREATE TABLE t(a)")
    c.execute("CREATE VIEW forever AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
              "SELECT i FROM n ORDER BY i DESC")
    c.execute("CREATE VIEW huge AS SELECT randomblob(1000000000) AS b")
    c.close()
    case("endless view", 6, ["entries", "c.db", "--table", "forever", "--statement-timeout-ms", "500"], 1,
         stderr=["took longer than"])
    case("huge view", 6, ["entries", "c.db", "--table", "huge"], 1, stderr=["larger than the 512 MiB"])

    # 8: a connection in EXCLUSIVE locking mode keeps the database to itself.
    make_cache(os.path.join(d("exclusive"), "c.db"))
    for cmd in (["info", "c.db"], ["entries", "c.db"], ["enable-wal", "c.db"], ["checkpoint", "c.db"]):
        case("exclusive holder " + cmd[0], 8, cmd + ["--busy-timeout-ms", "300"], 3,
             stderr=["busy", "held by PID"], absent=["PRAGMA"], holder="exclusive", unchanged=False)

    # 9: a writer died; its -wal holds committed rows; the -shm is missing, short, random or stale.
    for shm in ("none", "short", "random", "stale"):
        p = os.path.join(d("orphan-wal-" + shm), "c.db")
        make_cache(p, rows=10)
        leave_wal(p, 25)
        if shm == "none":
            os.remove(p + "-shm")
        elif shm != "stale":
            with open(p + "-shm", "wb") as f:
                f.write(b"garbage" if shm == "short" else bytes((i * 7919 + 13) % 251 for i in range(32768)))
        case("orphaned -wal, -shm " + shm + " info", 9, ["info", "c.db", "--json"], 0,
             stdout=['"rows":35'], stderr=["private copy"])
        case("orphaned -wal, -shm " + shm + " entries", 9, ["entries", "c.db", "--limit", "100"], 0,
             stdout=["wal-24"], stderr=["private copy"])

    # 10 (#22.4): a -wal from another database beside this one (SQLite would adopt it silently and a
    # checkpoint would replace the database's content): refused, exit 3, nothing changed.
    for name, setup in (("foreign-wal-page-size", "PRAGMA page_size=1024"), ("foreign-wal-app-id", "PRAGMA application_id=42")):
        for cmd in (["checkpoint"], ["enable-wal"], ["vacuum"], ["vacuum", "--json"], ["vacuum", "--into", "v.db"],
                    ["prune", "--table", "entries", "--match", "k"]):
            p = os.path.join(d(name + "-" + "-".join(cmd).replace(".", "")), "c.db")
            make_cache(p, rows=10)
            other = os.path.join(root, name + "-" + "-".join(cmd) + "-other.db")
            c = sqlite3.connect(other, isolation_level=None)
            c.execute(setup)
            c.execute("PRAGMA journal_mode=wal")
            c.execute("CREATE TABLE entries(id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT)")
            c.close()
            leave_wal(other, 5, "CREATE TABLE other_schema(a)")  # page 1 (the schema) is in its -wal
            os.rename(other + "-wal", p + "-wal")
            case(name + " " + " ".join(cmd), 4, [cmd[0], "c.db"] + cmd[1:], 3,
                 stderr=["refusing to", "does not belong", "--accept-foreign-wal"], absent=["corrupt"])
    # Accepted: the user said so; the warning still comes first.
    p = os.path.join(d("foreign-wal-accepted"), "c.db")
    make_cache(p, rows=10)
    other = os.path.join(root, "foreign-wal-accepted-other.db")
    c = sqlite3.connect(other, isolation_level=None)
    c.execute("PRAGMA application_id=42")
    c.execute("PRAGMA journal_mode=wal")
    c.execute("CREATE TABLE entries(id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT)")
    c.close()
    leave_wal(other, 5, "CREATE TABLE other_schema(a)")
    os.rename(other + "-wal", p + "-wal")
    case("foreign -wal accepted checkpoint", 4, ["checkpoint", "c.db", "--accept-foreign-wal"], 0,
         stderr=["warning: the -wal does not belong"], unchanged=False)

    # #22.4: a -wal whose page 1 holds another schema (same page size, same application_id).
    def other_schema_wal(p, ours, theirs, wal_sql):
        make_cache(p, rows=10)
        c = sqlite3.connect(p, isolation_level=None)
        for sql in ours:
            c.execute(sql)
        c.close()
        other = p + ".other"
        c = sqlite3.connect(other, isolation_level=None)
        c.execute("PRAGMA journal_mode=wal")
        for sql in theirs:
            c.execute(sql)
        c.close()
        pid = os.fork()
        if pid == 0:
            c = sqlite3.connect(other, isolation_level=None)
            c.execute("PRAGMA wal_autocheckpoint=0")
            c.execute("BEGIN")
            for sql in wal_sql:
                c.execute(sql)
            c.execute("COMMIT")
            os._exit(0)
        os.waitpid(pid, 0)
        os.rename(other + "-wal", p + "-wal")
        for f in (other, other + "-shm"):
            os.remove(f)

    schemas = {
        # same schema version (2), other tables
        "same-version": (["CREATE INDEX by_key ON entries(key)"], ["CREATE TABLE logs(a)"],
                         ["CREATE TABLE metrics(b)", "INSERT INTO metrics VALUES (1)"]),
        # a newer schema version without any of the database's tables
        "newer-version": ([], ["CREATE TABLE logs(a)"], ["CREATE TABLE metrics(b)", "INSERT INTO logs VALUES (1)"]),
        # an older schema version (2 < 4)
        "older-version": (["CREATE TABLE t2(a)", "CREATE TABLE t3(a)", "CREATE TABLE t4(a)"],
                          ["CREATE TABLE entries(id INTEGER PRIMARY KEY, key TEXT, value TEXT)"],
                          ["CREATE TABLE t2(a)", "INSERT INTO entries(key) VALUES ('theirs')"]),
    }
    for kind, (ours, theirs, wal_sql) in schemas.items():
        for cmd in ("checkpoint", "vacuum", "enable-wal"):
            p = os.path.join(d("foreign-schema-%s-%s" % (kind, cmd)), "c.db")
            other_schema_wal(p, ours, theirs, wal_sql)
            case("foreign -wal, another schema (%s) %s" % (kind, cmd), 4, [cmd, "c.db"], 3,
                 stderr=["refusing to", "schema", "--accept-foreign-wal"])
    # The cache's own -wal that changes the schema is no foreign -wal: no false refusal.
    for name, first in (("own-wal-new-table", "CREATE TABLE added(a)"),
                        ("own-wal-recreated", "DROP TABLE entries")):
        p = os.path.join(d(name), "c.db")
        make_cache(p, rows=10)
        if first.startswith("DROP"):
            first = None
            pid = os.fork()
            if pid == 0:
                c = sqlite3.connect(p, isolation_level=None)
                c.execute("PRAGMA wal_autocheckpoint=0")
                c.execute("BEGIN")
                c.execute("DROP TABLE entries")
                c.execute("CREATE TABLE entries(id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT, extra)")
                c.execute("INSERT INTO entries(key) VALUES ('recreated')")
                c.execute("COMMIT")
                os._exit(0)
            os.waitpid(pid, 0)
        else:
            leave_wal(p, 5, first)
        case(name + " checkpoint", 4, ["checkpoint", "c.db"], 0, absent=["refusing", "does not belong"],
             unchanged=False)

    # #22.3: header byte 19 (read version) 2 means WAL to SQLite whatever byte 18 says: read-only
    # commands must leave no -wal or -shm behind.
    for write_version in (0, 1, 3):
        p = os.path.join(d("header-18-%d-19-2" % write_version), "c.db")
        make_cache(p, rows=10)
        with open(p, "r+b") as f:
            f.seek(18)
            f.write(bytes([write_version, 2]))
        for cmd in (["info", "c.db", "--json"], ["entries", "c.db", "--json"],
                    ["query", "c.db", "SELECT count(*) FROM entries", "--json"], ["scan", "."]):
            case("header byte 18 = %d, 19 = 2: %s" % (write_version, cmd[0]), 3, cmd, 0)

    # #22.5: vacuum --into a sidecar of its own source is a usage error.
    p = os.path.join(d("vacuum-into-sidecar"), "v.db")
    make_cache(p, rows=10)
    for suffix in ("-wal", "-journal", "-shm"):
        case("vacuum --into v.db%s" % suffix, 5, ["vacuum", "v.db", "--into", "v.db" + suffix], 2,
             stderr=["sidecar of the source"], db="v.db")
    os.mkdir(os.path.join(root, "vacuum-into-sidecar", "sub"))
    case("vacuum --into sub/../v.db-wal", 5, ["vacuum", "v.db", "--into", "sub/../v.db-wal"], 2,
         stderr=["sidecar of the source"], db="v.db")

    # #22.11: an empty text is not NULL in entries --json.
    p = os.path.join(d("empty-text"), "c.db")
    c = sqlite3.connect(p, isolation_level=None)
    c.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, b BLOB)")
    c.execute("INSERT INTO t VALUES (1, '', NULL), (2, NULL, x'')")
    c.close()
    case("empty text entries --json", 11, ["entries", "c.db", "--json"], 0,
         stdout=['{"b":null,"id":1,"v":""}', '"id":2,"v":null'])

    # #22.7: watch on a FIFO, a character device or a socket: "not a regular file", exit 1.
    special = d("special-files")
    os.mkfifo(os.path.join(special, "fifo.db"))
    import socket
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(os.path.join(special, "sock.db"))
    sock.close()
    for target in ("fifo.db", "/dev/null", "sock.db"):
        case("watch on " + target, 7, ["watch", target, "--duration-s", "1", "--json"], 1,
             stderr=["not a regular file"], db="fifo.db")
        # check and metrics watch the same way: never "ok" for a FIFO, device or socket.
        case("check on " + target, 7, ["check", target, "--window-ms", "500", "--json"], 1,
             stderr=["not a regular file"], absent=['"ok":true'], db="fifo.db")
        case("metrics on " + target, 7, ["metrics", target, "--listen", "127.0.0.1:0"], 1,
             stderr=["not a regular file"], absent=["serving"], db="fifo.db")

    # #22.9: delete racing a writer that has just created the file (empty, held open): a held
    # cache, exit 3 with the holder named — not "it is empty, not an SQLite database".
    open(os.path.join(d("empty-held"), "c.db"), "wb").close()
    case("delete an empty file a writer holds", 9, ["delete", "c.db"], 3, stdout=["held by", "PID"],
         absent=["not an SQLite database"], holder="open-empty")

    # #22.2: a healthy cache at rest whose db file alone is inconsistent (a TRUNCATE checkpoint
    # killed midway: some -wal pages already in the db) and no room for a private copy: the
    # truth and the choice, never "truncated or corrupt"; nothing changed.
    p = os.path.join(d("killed-checkpoint"), "c.db")
    make_cache(p, rows=10)
    leave_wal(p, 400, "CREATE TABLE more(a)")
    half_checkpoint(p)
    no_room = {"CACHESCOPE_PRIVATE_COPY_MAX_BYTES": "4096"}
    reads = (["info", "c.db", "--json"], ["entries", "c.db"], ["query", "c.db", "SELECT count(*) FROM entries"],
             ["prune", "c.db", "--table", "entries", "--match", "wal-", "--dry-run", "--json"])
    for cmd in reads:
        case("no room for a private copy " + cmd[0], 2, cmd, 3,
             stderr=["The cache is fine", "TMPDIR", "checkpoint", "--read-in-place"], absent=["corrupt", "truncated"],
             env=no_room)
    case("room for a private copy info", 2, ["info", "c.db", "--json"], 0, stdout=['"rows":410'],
         stderr=["private copy"])
    # ... and the choice taken: --read-in-place reads the right rows; SQLite writes the -shm (here
    # rewrites the one the dead writer left) and nothing else.
    answers = {"info": ['"rows":410'], "entries": ["wal-399"], "query": ["410"], "prune": ['"matched":400']}
    for cmd in reads:
        extra = ["--limit", "1000"] if cmd[0] == "entries" else []
        case("no room, --read-in-place " + cmd[0], 2, cmd + extra + ["--read-in-place"], 0,
             stdout=answers[cmd[0]], stderr=["read in place"], absent=["corrupt", "truncated"], env=no_room,
             unchanged=False, written=["c.db-shm"])
    # The same without a -shm: one appears, nothing else; without the option nothing at all.
    p = os.path.join(d("killed-checkpoint-no-shm"), "c.db")
    make_cache(p, rows=10)
    leave_wal(p, 400, "CREATE TABLE more(a)")
    half_checkpoint(p)
    os.remove(p + "-shm")
    case("no -shm, no room: refused", 2, ["info", "c.db", "--json"], 3, stderr=["--read-in-place"], env=no_room)
    case("no -shm, no room, --read-in-place info", 2, ["info", "c.db", "--json", "--read-in-place"], 0,
         stdout=['"rows":410'], env=no_room, unchanged=False, written=["c.db-shm"])
    # A hot -journal cannot be read in place (SQLite would roll it back into the db): not offered.
    p = os.path.join(d("hot-journal-no-room"), "c.db")
    make_cache(p, journal="delete", rows=40)
    leave_hot_journal(p)
    for extra in ([], ["--read-in-place"]):
        case("hot journal, no room " + " ".join(extra), 2, ["info", "c.db", "--json"] + extra, 3,
             stderr=["The cache is fine", "-journal"], absent=["--read-in-place", "corrupt"],
             env={"CACHESCOPE_PRIVATE_COPY_MAX_BYTES": "0"})
    # In a directory SQLite cannot create the -shm in: said, nothing written.
    ro = d("read-only-dir-in-place")
    p = os.path.join(ro, "c.db")
    make_cache(p)
    leave_wal(p, 5)
    os.remove(p + "-shm")
    for f in (p, p + "-wal"):
        os.chmod(f, 0o666)
    os.chmod(ro, 0o555)
    case("read-only directory, --read-in-place", 2, ["info", "c.db", "--read-in-place"], 3,
         stderr=["cannot read c.db in place", "not writable"], as_nobody=True)

    # 12: a generated column calling json_extract().
    p = os.path.join(d("json-generated"), "c.db")
    c = sqlite3.connect(p, isolation_level=None)
    c.execute("CREATE TABLE docs(id INTEGER PRIMARY KEY, doc TEXT, "
              "name TEXT GENERATED ALWAYS AS (json_extract(doc, '$.name')) VIRTUAL)")
    c.execute("""INSERT INTO docs(doc) VALUES('{"name":"ada"}')""")
    c.close()
    case("json generated column entries", 12, ["entries", "c.db", "--table", "docs", "--json"], 0,
         stdout=['"name":"ada"'])
    case("json generated column info", 12, ["info", "c.db", "--json"], 0, stdout=['"rows":1'])
    case("json generated column query", 12, ["query", "c.db", "SELECT name FROM docs", "--json"], 0,
         stdout=['"ada"'], absent=["corrupt", "unsafe use"])

    # 14: a table of 1,500 columns is browsed 400 columns at a time.
    p = os.path.join(d("wide-table"), "c.db")
    c = sqlite3.connect(p, isolation_level=None)
    c.execute("CREATE TABLE wide(%s)" % ", ".join("c%d" % i for i in range(1500)))
    c.execute("INSERT INTO wide(c0, c1499) VALUES ('first', 'last')")
    c.close()
    case("wide table, first columns", 14, ["entries", "c.db", "--json"], 0,
         stdout=['"c0":"first"', '"columns_omitted":1100', '"columns_total":1500'], absent=['"c1499"'])
    case("wide table, last columns", 14, ["entries", "c.db", "--columns-from", "1101", "--json"], 0,
         stdout=['"c1499":"last"', '"first_column":1101'], absent=['"c0"'])
    case("wide table, human hint", 14, ["entries", "c.db"], 0, stdout=["columns 1–400 of 1500", "--columns-from 401"])
    case("wide table, past the last column", 14, ["entries", "c.db", "--columns-from", "1501"], 2,
         stderr=["--columns-from", "1500 columns"])

    # Rowids far apart (an FTS5 index keeps its blocks near 2^37): pages and counts stay exact.
    p = os.path.join(d("sparse-rowids"), "c.db")
    c = sqlite3.connect(p, isolation_level=None)
    c.execute("CREATE TABLE t(v)")
    for rowid in (-(2 ** 63), 1, 2 ** 62, 2 ** 63 - 1):
        c.execute("INSERT INTO t(rowid, v) VALUES (?, ?)", (rowid, "r%d" % rowid))
    c.close()
    case("sparse rowids entries", 2, ["entries", "c.db", "--json"], 0, stdout=['"r-9223372036854775808"',
         '"r9223372036854775807"'])
    case("sparse rowids info", 2, ["info", "c.db", "--json"], 0, stdout=['"rows":4'])

    # 16: numbers out of range are usage errors.
    make_cache(os.path.join(d("options"), "c.db"))
    for cmd in (["watch", "c.db", "--duration-s", "9223372036854776"],
                ["simulate", "sim.db", "--payload-bytes", "4294967297"],
                ["entries", "c.db", "--limit", "99999999999999999999"],
                ["info", "c.db", "--busy-timeout-ms", "-1"],
                ["simulate", "sim.db", "--rate-per-worker", "nan"],
                ["watch", "c.db", "--interval-ms", "1e3"]):
        case("option " + " ".join(cmd[2:]), 16, cmd, 2, stderr=["--" + cmd[2].lstrip("-")])

    # 17: sidecars that are not SQLite's files, odd paths and permissions.
    weird = {
        "wal-directory": ("-wal", "dir", "is a directory"),
        "wal-to-dev-zero": ("-wal", "/dev/zero", "symbolic link (to /dev/zero)"),
        "shm-to-etc-passwd": ("-shm", "/etc/passwd", "symbolic link (to /etc/passwd)"),
        "shm-fifo": ("-shm", "fifo", "FIFO"),
        "shm-directory": ("-shm", "dir", "is a directory"),
    }
    for name, (suffix, kind, words) in weird.items():
        p = os.path.join(d(name), "c.db")
        make_cache(p)
        if kind == "dir":
            os.mkdir(p + suffix)
        elif kind == "fifo":
            os.mkfifo(p + suffix)
        else:
            os.symlink(kind, p + suffix)
        for cmd in ("info", "entries"):
            case(name + " " + cmd, 17, [cmd, "c.db"], 1, stderr=[words, "c.db" + suffix])
    real = d("real-dir")
    make_cache(os.path.join(real, "c.db"))
    os.symlink(real, os.path.join(d("through-link"), "linked"))
    case("path through a symlinked directory", 17, ["info", "linked/c.db"], 0, stdout=["entries"],
         db="linked/c.db")
    make_cache(os.path.join(d("schema-table"), "c.db"))
    case("--table sqlite_schema", 17, ["entries", "c.db", "--table", "sqlite_schema"], 0, stdout=["CREATE TABLE"])
    p = os.path.join(d("hot-journal"), "c.db")
    make_cache(p, journal="delete", rows=40)
    leave_hot_journal(p)
    case("hot journal info", 17, ["info", "c.db", "--json"], 0, stdout=['"rows":40'], stderr=["-journal"])
    # Permissions, as a user they bind (nobody, when the suite runs as root): a message that
    # says permission denied and which directory, never "nothing to delete" or "no such file".
    p = os.path.join(d("unsearchable-dir"), "locked", "c.db")
    os.mkdir(os.path.dirname(p))
    make_cache(p)
    os.chmod(os.path.dirname(p), 0)
    for cmd in (["delete", "locked/c.db"], ["delete", "locked/c.db", "--dry-run"], ["info", "locked/c.db"]):
        case("unsearchable directory " + " ".join(cmd[:1] + cmd[2:]), 17, cmd, 1,
             stderr=["permission denied", "locked/c.db"], absent=["nothing to delete", "does not exist"], as_nobody=True)
    p = os.path.join(d("unwritable-dir"), "c.db")
    make_cache(p)
    os.remove(p + "-wal") if os.path.exists(p + "-wal") else None
    os.chmod(os.path.dirname(p), 0o555)
    for cmd in (["delete", "c.db"], ["delete", "c.db", "--dry-run"]):
        case("unwritable directory " + " ".join(cmd), 17, cmd, 1,
             stderr=["not writable", "nothing was deleted"], absent=["would remove"], as_nobody=True)
    p = os.path.join(d("unreadable-db"), "c.db")
    make_cache(p)
    os.chmod(p, 0)
    for cmd in ("info", "entries"):
        case("unreadable db " + cmd, 17, [cmd, "c.db"], 1, stderr=["permission denied: cannot read"], as_nobody=True)
    p = os.path.join(d("unwritable-db"), "c.db")
    make_cache(p)
    os.chmod(p, 0o444)
    case("unwritable db checkpoint", 17, ["checkpoint", "c.db"], 1, stderr=["not writable by this user"],
         as_nobody=True)
    # A read-only directory (as a read-only mount looks to SQLite): no -shm can be made.
    ro = d("read-only-dir")
    p = os.path.join(ro, "c.db")
    make_cache(p)
    leave_wal(p, 5)
    os.remove(p + "-shm")
    for f in (p, p + "-wal"):
        os.chmod(f, 0o666)  # the directory is what stands in the way
    os.chmod(ro, 0o555)
    case("read-only directory, orphaned -wal, no -shm", 17, ["info", "c.db", "--json"], 0,
         stdout=['"rows":15'], as_nobody=True)
    case("read-only directory, entries", 17, ["entries", "c.db", "--limit", "100"], 0, stdout=["table"],
         as_nobody=True)
    case("read-only directory, enable-wal", 17, ["enable-wal", "c.db"], 1, stderr=["not writable"], as_nobody=True)


def hold(kind, db):
    if kind == "exclusive":
        c = sqlite3.connect(db, isolation_level=None)
        c.execute("PRAGMA locking_mode=EXCLUSIVE")
        c.execute("BEGIN IMMEDIATE")
        c.execute("INSERT INTO entries(key) VALUES('held')")
        c.execute("COMMIT")
    elif kind == "open-empty":
        global held
        held = open(db, "r+b")  # a writer's sqlite3_open: the file exists, nothing written yet
    elif kind == "ahead-header":
        c = sqlite3.connect(db, isolation_level=None)
        c.execute("PRAGMA wal_autocheckpoint=0")
        for i in range(3):
            c.execute("BEGIN IMMEDIATE")
            c.executemany("INSERT INTO entries(key, value) VALUES(?, randomblob(300))",
                          [("h%d-%d" % (i, j),) for j in range(50)])
            c.execute("COMMIT")
        # The db file's header now claims 36557 pages; page 1 itself is in the -wal. The fd stays
        # open: closing it would drop this process's own SQLite locks on the file.
        global keep
        keep = os.open(db, os.O_RDWR)
        header = os.pread(keep, 100, 0)
        os.pwrite(keep, (36557).to_bytes(4, "big"), 28)
        os.pwrite(keep, header[24:28], 92)
    print("ready", flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        build(sys.argv[2])
        print(json.dumps(CASES))
    elif len(sys.argv) == 4 and sys.argv[1] == "hold":
        hold(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
