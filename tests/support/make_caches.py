# SPDX-License-Identifier: GPL-3.0-or-later
# Creates one real cache of each kind in DIR with the real libraries (Debian's python3-diskcache,
# python3-requests-cache, python3-sqlitedict) and, for formats Debian lacks, from their exact DDL
# (docs/FORMATS.md). Run with /usr/bin/python3: make_caches.py DIR
import json, os, sqlite3, sys

if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
    sys.exit("usage: make_caches.py DIR  (creates one cache of each kind in DIR)")
out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def diskcache_cache():
    import diskcache
    c = diskcache.Cache(os.path.join(out, "diskcache"))
    c.set("text-key", "a text value")
    c.set(("tuple", 1), {"pickled": True})  # raw=0: a pickled key
    c.set("big", "x" * 40000)  # a text file value (mode 3, size from the file)
    c.set("expiring", b"\x00\x01bytes", expire=3600)
    c.set("umlaut", "Kühlschrank " * 5000)  # non-ASCII text in a file
    c.set("megabyte", {"blob": "y" * (1 << 20), "n": 7})  # a >= 1 MB pickle in a file
    c.set("pickled-inline", [1, 2.5, None, "drei"])
    c.set(12345, "int key")

    @c.memoize()
    def area(w, h):
        return w * h
    area(3, 4)  # a tuple key (memoize)
    c.set("expired", "gone", expire=0.001)  # last: no later set culls it
    c.close()

def requests_cache_cache():
    import datetime
    import requests_cache
    from requests_cache.backends.sqlite import SQLiteCache
    import requests
    from requests.adapters import BaseAdapter
    from requests.models import Response

    class Canned(BaseAdapter):  # offline: canned responses, no network
        def send(self, request, **kw):
            r = Response()
            r.status_code = 404 if "missing" in request.url else 200
            r._content = ("Kühlschrank " + request.url).encode()
            r.headers["Content-Type"] = "text/plain; charset=utf-8"
            r.url, r.request, r.encoding = request.url, request, "utf-8"
            r.elapsed = datetime.timedelta(microseconds=30)  # stored as 3e-05 seconds
            return r

        def close(self):
            pass

    s = requests_cache.CachedSession(os.path.join(out, "http_cache"), expire_after=3600,
                                     allowable_methods=("GET", "POST"), allowable_codes=(200, 404))
    s.mount("https://", Canned())
    s.get("https://example.org/a?x=1")
    s.post("https://example.org/missing", data=b"payload")
    old = Canned().send(requests.Request("GET", "https://example.org/old").prepare())
    s.cache.save_response(old, expires=datetime.datetime.utcnow() - datetime.timedelta(hours=1))
    key = next(k for k in s.cache.responses.keys())
    s.cache.redirects["https://example.org/r"] = key

def sqlitedict_cache():
    from sqlitedict import SqliteDict
    with SqliteDict(os.path.join(out, "dict.sqlite"), autocommit=True) as d:
        d["alpha"] = {"n": 1}
        d["beta"] = [1, 2, 3]
        d["gamma"] = ("tuple", "Kühlschrank")
    with SqliteDict(os.path.join(out, "dict.sqlite"), tablename="json", encode=json.dumps,
                    decode=json.loads, autocommit=True) as d:
        d["word"] = {"de": "Kühlschrank"}

def langchain_cache():
    db = sqlite3.connect(os.path.join(out, "langchain.db"))
    db.executescript("""
    CREATE TABLE full_llm_cache (
      prompt VARCHAR NOT NULL, llm VARCHAR NOT NULL, idx INTEGER NOT NULL, response VARCHAR,
      PRIMARY KEY (prompt, llm, idx));
    CREATE TABLE full_md5_llm_cache (id VARCHAR NOT NULL, prompt_md5 VARCHAR, llm VARCHAR,
      idx INTEGER, prompt VARCHAR, response VARCHAR, PRIMARY KEY (id));""")
    llm = json.dumps({"lc": 1, "type": "constructor", "id": ["langchain", "chat_models", "openai", "ChatOpenAI"],
                      "kwargs": {"model_name": "gpt-4o-mini", "temperature": 0.0}}, sort_keys=True)
    llm += "---" + str(sorted([("_type", "openai-chat"), ("stop", None)]))
    gen = {"lc": 1, "type": "constructor", "id": ["langchain", "schema", "output", "ChatGeneration"],
           "kwargs": {"text": "Paris", "message": {"lc": 1, "type": "constructor", "kwargs": {
               "content": "Paris", "usage_metadata": {"input_tokens": 12, "output_tokens": 3}}}}}
    prompt = json.dumps([{"role": "user", "content": "Capital of France?"}])
    db.execute("INSERT INTO full_llm_cache VALUES (?, ?, 0, ?)", (prompt, llm, json.dumps(gen)))
    db.execute("INSERT INTO full_llm_cache VALUES (?, 'not json at all', 0, 'plain')", ("second prompt",))
    db.execute("INSERT INTO full_llm_cache VALUES ('third prompt', ?, 0, ?)",
               ("[('_type', 'ollama'), ('model', 'llama3.1:8b'), ('temperature', 0.0)]", json.dumps([gen])))
    # A chat model's prompt as langchain_core.load.dumps(messages) writes it: the question is
    # the last HumanMessage's content, after a system message and an earlier exchange.
    def message(kind, content):
        return {"lc": 1, "type": "constructor", "id": ["langchain", "schema", "messages", kind + "Message"],
                "kwargs": {"content": content, "type": kind.lower() if kind != "AI" else "ai"}}
    chat = json.dumps([message("System", "You are terse."), message("Human", "Capital of France?"),
                       message("AI", "Paris"),
                       message("Human", [{"type": "text", "text": "And of Peru?"}])])
    db.execute("INSERT INTO full_llm_cache VALUES (?, ?, 0, ?)", (chat, llm, json.dumps(gen)))
    db.execute("INSERT INTO full_md5_llm_cache VALUES ('u1', 'md5', ?, 0, ?, ?)", (llm, prompt, json.dumps(gen)))
    db.commit()

def gptcache_cache():
    db = sqlite3.connect(os.path.join(out, "sqlite.db"))
    db.executescript("""
    CREATE TABLE gptcache_question (id INTEGER PRIMARY KEY, question VARCHAR(3000) NOT NULL,
      create_on DATETIME, last_access DATETIME, embedding_data BLOB, deleted INTEGER);
    CREATE TABLE gptcache_answer (id INTEGER PRIMARY KEY, question_id INTEGER NOT NULL,
      answer VARCHAR(3000) NOT NULL, answer_type INTEGER NOT NULL);
    CREATE TABLE gptcache_report (id INTEGER PRIMARY KEY, user_question VARCHAR(3000),
      cache_question_id INTEGER, cache_question VARCHAR(3000), cache_answer VARCHAR(3000),
      similarity FLOAT, cache_delta_time FLOAT, cache_time DATETIME, extra VARCHAR(3000));
    INSERT INTO gptcache_question VALUES (1, 'what is sqlite?', '2024-11-03 09:07:00.000137', '2024-11-04 11:00:00', x'0000803f', 0);
    INSERT INTO gptcache_answer VALUES (1, 1, 'an embedded database', 0);""")
    db.commit()

def llm_logs():
    db = sqlite3.connect(os.path.join(out, "logs.db"))
    db.executescript("""
    CREATE TABLE responses (id TEXT PRIMARY KEY, model TEXT, prompt TEXT, system TEXT, prompt_json TEXT,
      options_json TEXT, response TEXT, response_json TEXT, conversation_id TEXT, duration_ms INTEGER,
      datetime_utc TEXT, input_tokens INTEGER, output_tokens INTEGER, token_details TEXT, schema_id TEXT,
      resolved_model TEXT, reasoning TEXT);
    INSERT INTO responses (id, model, prompt, response, datetime_utc, input_tokens, output_tokens, duration_ms)
      VALUES ('01j0000000000000000000000', 'gpt-4o', 'hello', 'hi there', '2026-08-03T13:32:07.270826', 5, 2, 340);
    CREATE VIRTUAL TABLE [responses_fts] USING FTS5 ([prompt], [response], content=[responses]);
    INSERT INTO responses_fts(rowid, prompt, response) SELECT rowid, prompt, response FROM responses;""")
    db.commit()

for make in (diskcache_cache, requests_cache_cache, sqlitedict_cache, langchain_cache, gptcache_cache, llm_logs):
    make()
print("ready")
