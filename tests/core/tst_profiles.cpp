// SPDX-License-Identifier: GPL-3.0-or-later
// Profiles: real caches written by the real libraries (diskcache, requests-cache, sqlitedict)
// and files of the other formats built from their exact DDL are recognised with their columns.
#include "entries/entrydecoder.h"
#include "entries/entrypager.h"
#include "entries/internaltables.h"
#include "entries/profiles.h"
#include "entries/storedtime.h"
#include "librarycaches.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestProfiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void recognisesEachFormat_data();
    void recognisesEachFormat();
    void diskcacheInItsOwnTerms();
    void requestsCacheAndSqlitedictDecoded();
    void searchFindsTextInsidePicklesAndEscapes();
    void expiredAndLiveFilters();
    void sizesAndInternalTables();
    void keyGivesTheFullValue();
    void handWrittenLlmCache();
    void langchainModelFromLlmJson();
    void timesAreIsoUtcAsStored();
    void genericGuessesRoles();
    void infoReportsProfiles();

private:
    QTemporaryDir m_dir;
};

void TestProfiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const auto result = makeLibraryCaches(m_dir.path());
    QVERIFY2(result.exitCode == 0, result.err.constData());
}

void TestProfiles::recognisesEachFormat_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<bool>("main");
    QTest::newRow("diskcache Cache") << u"diskcache/cache.db"_s << u"Cache"_s << u"diskcache"_s
                                     << QStringList { u"key"_s, u"value"_s, u"size"_s, u"created"_s, u"last_access"_s,
                                            u"expires"_s, u"expired"_s, u"hits"_s, u"storage"_s, u"mode"_s }
                                     << true;
    QTest::newRow("diskcache Settings") << u"diskcache/cache.db"_s << u"Settings"_s << u"diskcache"_s
                                        << QStringList { u"key"_s, u"value"_s } << false;
    QTest::newRow("requests-cache responses") << u"http_cache.sqlite"_s << u"responses"_s << u"requests-cache"_s
                                              << QStringList { u"url"_s, u"method"_s, u"status"_s, u"content_type"_s,
                                                     u"body_size"_s, u"created"_s, u"expires"_s, u"expired"_s }
                                              << true;
    QTest::newRow("requests-cache redirects") << u"http_cache.sqlite"_s << u"redirects"_s << u"requests-cache"_s
                                              << QStringList { u"key"_s, u"url"_s } << false;
    QTest::newRow("sqlitedict") << u"dict.sqlite"_s << u"unnamed"_s << u"sqlitedict"_s
                                << QStringList { u"key"_s, u"value"_s, u"size"_s } << true;
    QTest::newRow("langchain") << u"langchain.db"_s << u"full_llm_cache"_s << u"langchain"_s
                               << QStringList { u"message"_s, u"prompt"_s, u"model"_s, u"idx"_s, u"response"_s,
                                      u"size"_s, u"input_tokens"_s, u"output_tokens"_s }
                               << true;
    QTest::newRow("langchain md5") << u"langchain.db"_s << u"full_md5_llm_cache"_s << u"langchain"_s
                                   << QStringList { u"id"_s, u"prompt"_s, u"model"_s } << true;
    QTest::newRow("gptcache") << u"sqlite.db"_s << u"gptcache_question"_s << u"gptcache"_s
                              << QStringList { u"question"_s, u"answer"_s, u"size"_s, u"created"_s, u"last_access"_s }
                              << true;
    QTest::newRow("gptcache answers") << u"sqlite.db"_s << u"gptcache_answer"_s << u"gptcache"_s
                                      << QStringList { u"answer"_s, u"question_id"_s } << false;
    QTest::newRow("llm logs") << u"logs.db"_s << u"responses"_s << u"llm-logs"_s
                              << QStringList { u"model"_s, u"prompt"_s, u"response"_s, u"size"_s, u"created"_s,
                                     u"input_tokens"_s, u"output_tokens"_s }
                              << true;
}

void TestProfiles::recognisesEachFormat()
{
    QFETCH(QString, file);
    QFETCH(QString, table);
    QFETCH(QString, profile);
    QFETCH(QStringList, columns);
    QFETCH(bool, main);
    auto db = Database::open(m_dir.filePath(file), Database::Mode::ReadOnly);
    QVERIFY2(db, qPrintable(db.error().message));
    auto view = Profiles::view(db->get(), table);
    QVERIFY2(view, qPrintable(view.error().message));
    QCOMPARE(view->profile, profile);
    QCOMPARE(view->isMainTable, main);
    for (const QString& column : columns)
        QVERIFY2(view->columnNames().contains(column), qPrintable(view->columnNames().join(u',')));
    // The default table is a main table of the format (LangChain files have two).
    auto mainTable = Profiles::mainTable(db->get());
    QVERIFY(mainTable);
    QVERIFY(Profiles::view(db->get(), mainTable.value())->isMainTable);
    // Every column's SQL runs on the real file.
    EntryPager pager(db->get(), view.value());
    auto page = pager.first(100);
    QVERIFY2(page, qPrintable(page.error().message));
    QVERIFY(!page->rows.isEmpty());
}

QJsonObject rowByKey(
    const QString& cli, const QString& file, const QString& table, const QString& keyColumn, const QString& key)
{
    const auto result = runCli({ u"entries"_s, file, u"--table"_s, table, u"--json"_s });
    if (result.exitCode != 0)
        return {};
    for (const QJsonValue& row : QJsonDocument::fromJson(result.out)[u"rows"_s].toArray()) {
        const QJsonValue k = row[keyColumn];
        const QString text = k.isString() ? k.toString()
            : k.isArray()                 ? QString::fromUtf8(QJsonDocument(k.toArray()).toJson(QJsonDocument::Compact))
                                          : QString();
        if (text == key)
            return row.toObject();
    }
    Q_UNUSED(cli);
    return {};
}

void TestProfiles::diskcacheInItsOwnTerms()
{
    // What diskcache's users read, through the CLI's JSON: keys and values decoded (tuple keys,
    // pickles, text in .val files), times as ISO 8601 UTC, expiry as a boolean, mode as a word.
    // Each check fails if the format regresses to raw bytes.
    const QString file = m_dir.filePath(u"diskcache/cache.db"_s);
    auto row = [&](const QString& key) { return rowByKey({}, file, u"Cache"_s, u"key"_s, key); };
    const QJsonObject text = row(u"text-key"_s);
    QCOMPARE(text[u"value"_s].toString(), u"a text value"_s);
    QCOMPARE(text[u"mode"_s].toString(), u"raw"_s);
    QCOMPARE(text[u"storage"_s].toString(), u"inline"_s);
    QCOMPARE(text[u"expired"_s], QJsonValue(false));
    QVERIFY(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$"_s)
                .match(text[u"created"_s].toString())
                .hasMatch());
    const QJsonObject tuple = row(u"[\"tuple\",1]"_s);
    QVERIFY2(!tuple.isEmpty(), "the pickled tuple key is decoded");
    QCOMPARE(tuple[u"value"_s][u"pickled"_s], QJsonValue(true));
    QCOMPARE(tuple[u"mode"_s].toString(), u"pickle"_s);
    const QJsonObject big = row(u"big"_s);
    QVERIFY(big[u"value"_s].toString().startsWith(u"xxxx"_s)); // text from its file
    QVERIFY(big[u"storage"_s].toString().startsWith(u"file "_s));
    QCOMPARE(big[u"size"_s].toInteger(), 40000);
    QVERIFY(row(u"umlaut"_s)[u"value"_s].toString().startsWith(u"Kühlschrank Kühlschrank"_s));
    const QJsonObject mega = row(u"megabyte"_s);
    QCOMPARE(mega[u"value"_s][u"n"_s].toInteger(), 7); // a >= 1 MB pickle in a file
    QVERIFY(mega[u"size"_s].toInteger() >= 1 << 20);
    QCOMPARE(row(u"pickled-inline"_s)[u"value"_s].toArray().at(3).toString(), u"drei"_s);
    QCOMPARE(row(u"expired"_s)[u"expired"_s], QJsonValue(true));
    QVERIFY(row(u"expired"_s)[u"expires"_s].toString().endsWith(u"Z"_s));
    QCOMPARE(row(u"expiring"_s)[u"expired"_s], QJsonValue(false));
    bool memoized = false;
    const auto all = runCli({ u"entries"_s, file, u"--json"_s });
    for (const QJsonValue& r : QJsonDocument::fromJson(all.out)[u"rows"_s].toArray())
        memoized
            = memoized || (r[u"key"_s].isArray() && r[u"key"_s][1].toInteger() == 3 && r[u"value"_s].toInteger() == 12);
    QVERIFY2(memoized, all.out.constData());
}

void TestProfiles::requestsCacheAndSqlitedictDecoded()
{
    const QString http = m_dir.filePath(u"http_cache.sqlite"_s);
    const QJsonObject get = rowByKey({}, http, u"responses"_s, u"url"_s, u"https://example.org/a?x=1"_s);
    QVERIFY2(!get.isEmpty(), "the URL is read from the pickled response");
    QCOMPARE(get[u"method"_s].toString(), u"GET"_s);
    QCOMPARE(get[u"status"_s].toInteger(), 200);
    QCOMPARE(get[u"content_type"_s].toString(), u"text/plain; charset=utf-8"_s);
    QCOMPARE(get[u"body_size"_s].toInteger(), QByteArray("Kühlschrank https://example.org/a?x=1").size());
    QVERIFY(get[u"created"_s].toString().endsWith(u"Z"_s));
    QCOMPARE(get[u"expired"_s], QJsonValue(false));
    QCOMPARE(get[u"value"_s][u"status_code"_s].toInteger(), 200); // the whole response, decoded
    const QJsonObject post = rowByKey({}, http, u"responses"_s, u"url"_s, u"https://example.org/missing"_s);
    QCOMPARE(post[u"method"_s].toString(), u"POST"_s);
    QCOMPARE(post[u"status"_s].toInteger(), 404);
    QCOMPARE(
        rowByKey({}, http, u"responses"_s, u"url"_s, u"https://example.org/old"_s)[u"expired"_s], QJsonValue(true));
    const QJsonObject redirect = rowByKey({}, http, u"redirects"_s, u"key"_s, u"https://example.org/r"_s);
    QVERIFY(redirect[u"url"_s].toString().startsWith(u"https://example.org/"_s));
    const QString dict = m_dir.filePath(u"dict.sqlite"_s);
    QCOMPARE(rowByKey({}, dict, u"unnamed"_s, u"key"_s, u"alpha"_s)[u"value"_s][u"n"_s].toInteger(), 1);
    QCOMPARE(rowByKey({}, dict, u"unnamed"_s, u"key"_s, u"gamma"_s)[u"value"_s][1].toString(), u"Kühlschrank"_s);
    QCOMPARE(rowByKey({}, dict, u"json"_s, u"key"_s, u"word"_s)[u"value"_s][u"de"_s].toString(), u"Kühlschrank"_s);
}

void TestProfiles::sizesAndInternalTables()
{
    // Issue #10: GPTCache and llm logs get a size column; llm's FTS5 index and its shadow
    // tables are told apart from the cache tables (listed apart by the GUI and info).
    auto logs = Database::open(m_dir.filePath(u"logs.db"_s), Database::Mode::ReadOnly);
    QVERIFY(logs);
    auto internal = InternalTables::of(logs->get());
    QVERIFY2(internal, qPrintable(internal.error().message));
    QCOMPARE(internal->keys(),
        (QStringList { u"responses_fts"_s, u"responses_fts_config"_s, u"responses_fts_data"_s,
            u"responses_fts_docsize"_s, u"responses_fts_idx"_s }));
    QVERIFY(internal->value(u"responses_fts"_s).contains(u"full-text index (FTS5)"_s));
    QVERIFY(internal->value(u"responses_fts_data"_s).contains(u"of responses_fts"_s));
    QCOMPARE(Profiles::mainTable(logs->get()).value(), u"responses"_s);
    const QJsonObject llm = rowByKey({}, m_dir.filePath(u"logs.db"_s), u"responses"_s, u"prompt"_s, u"hello"_s);
    QCOMPARE(llm[u"size"_s].toInteger(), qint64(strlen("hello") + strlen("hi there")));
    const QJsonObject gpt
        = rowByKey({}, m_dir.filePath(u"sqlite.db"_s), u"gptcache_question"_s, u"question"_s, u"what is sqlite?"_s);
    QCOMPARE(gpt[u"size"_s].toInteger(), qint64(strlen("what is sqlite?") + strlen("an embedded database")));
    auto plain = Database::open(m_dir.filePath(u"dict.sqlite"_s), Database::Mode::ReadOnly);
    QVERIFY(plain);
    QVERIFY(InternalTables::of(plain->get())->isEmpty());
}

void TestProfiles::expiredAndLiveFilters()
{
    // Issue #10: "expired only" / "live only" run in SQLite: diskcache's expire_time in SQL,
    // requests-cache's expiry inside the pickled response through cachescope_pickle_expired().
    auto column = [](const QStringList& args, const QString& name) {
        QStringList found;
        const auto result = runCli(args + QStringList { u"--json"_s });
        for (const QJsonValue& row : QJsonDocument::fromJson(result.out)[u"rows"_s].toArray())
            found << row[name].toVariant().toString();
        found.sort();
        return found;
    };
    const QString http = m_dir.filePath(u"http_cache.sqlite"_s);
    QCOMPARE(column({ u"entries"_s, http, u"--table"_s, u"responses"_s, u"--expired"_s }, u"url"_s),
        QStringList { u"https://example.org/old"_s });
    QCOMPARE(column({ u"entries"_s, http, u"--table"_s, u"responses"_s, u"--live"_s }, u"url"_s),
        (QStringList { u"https://example.org/a?x=1"_s, u"https://example.org/missing"_s }));
    const QString disk = m_dir.filePath(u"diskcache/cache.db"_s);
    QCOMPARE(column({ u"entries"_s, disk, u"--expired"_s }, u"key"_s), QStringList { u"expired"_s });
    const QStringList live = column({ u"entries"_s, disk, u"--live"_s }, u"key"_s);
    QVERIFY(live.contains(u"expiring"_s) && live.contains(u"text-key"_s) && !live.contains(u"expired"_s));
    const QString dict = m_dir.filePath(u"dict.sqlite"_s);
    const auto none = runCli({ u"entries"_s, dict, u"--expired"_s });
    QCOMPARE(none.exitCode, 2);
    QVERIFY2(none.err.contains("keeps no expiry time"), none.err.constData());
    QCOMPARE(runCli({ u"entries"_s, http, u"--expired"_s, u"--live"_s }).exitCode, 2);
    // The function is ours and DIRECTONLY: once registered on a connection, a view in the file
    // still cannot call it (SQLite says "unsafe use of …"; Database explains it).
    const QString trap = m_dir.filePath(u"trap.db"_s);
    exec(trap,
        u"CREATE TABLE responses(key PRIMARY KEY, value); CREATE TABLE redirects(key PRIMARY KEY, value);"
        "CREATE VIEW v AS SELECT cachescope_pickle_expired(value, 'expires') AS e FROM responses;"
        "INSERT INTO responses VALUES ('k', x'80');"_s);
    auto db = Database::open(trap, Database::Mode::ReadOnly);
    QVERIFY(db);
    auto pager = EntryPager::open(db->get(), u"responses"_s);
    QVERIFY(pager);
    EntryFilter expired;
    expired.expiry = EntryFilter::Expiry::ExpiredOnly;
    pager->setFilter(expired);
    auto page = pager->first(10);
    QVERIFY2(page, qPrintable(page.error().message)); // called directly: allowed
    QCOMPARE(page->rows.size(), 0);
    auto viaView = db->get()->queryValue(u"SELECT e FROM v"_s);
    QVERIFY(!viaView);
    QVERIFY2(viaView.error().message.contains(u"does not run on files it does not trust"_s),
        qPrintable(viaView.error().message));
}

void TestProfiles::searchFindsTextInsidePicklesAndEscapes()
{
    auto urls = [](const QStringList& args) {
        QStringList found;
        const auto result = runCli(args + QStringList { u"--json"_s });
        for (const QJsonValue& row : QJsonDocument::fromJson(result.out)[u"rows"_s].toArray())
            found << (row[u"url"_s].isString() ? row[u"url"_s].toString() : row[u"key"_s].toVariant().toString());
        found.sort();
        return found;
    };
    const QString http = m_dir.filePath(u"http_cache.sqlite"_s);
    // The URL is only inside the pickled response: found in SQLite, without decoding each row.
    QCOMPARE(urls({ u"entries"_s, http, u"--search"_s, u"example.org/missing"_s }),
        QStringList { u"https://example.org/missing"_s });
    QCOMPARE(urls({ u"entries"_s, http, u"--search"_s, u"Kühlschrank"_s }).size(), 3);
    // sqlitedict's JSON table stores "K\u00fchlschrank".
    QCOMPARE(urls({ u"entries"_s, m_dir.filePath(u"dict.sqlite"_s), u"--table"_s, u"json"_s, u"--search"_s,
                 u"Kühlschrank"_s }),
        QStringList { u"word"_s });
    QCOMPARE(urls({ u"entries"_s, m_dir.filePath(u"diskcache/cache.db"_s), u"--search"_s, u"drei"_s }),
        QStringList { u"pickled-inline"_s });
    QCOMPARE(urls({ u"entries"_s, http, u"--search"_s, u"no such text"_s }), QStringList());
}

void TestProfiles::keyGivesTheFullValue()
{
    const QString file = m_dir.filePath(u"diskcache/cache.db"_s);
    const auto preview = runCli({ u"entries"_s, file, u"--json"_s });
    const auto full = runCli({ u"entries"_s, file, u"--key"_s, u"umlaut"_s, u"--json"_s });
    QCOMPARE(full.exitCode, 0);
    const QJsonArray rows = QJsonDocument::fromJson(full.out)[u"rows"_s].toArray();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0][u"value"_s].toString(), QString(u"Kühlschrank "_s).repeated(5000));
    for (const QJsonValue& row : QJsonDocument::fromJson(preview.out)[u"rows"_s].toArray()) {
        if (row[u"key"_s] == QJsonValue(u"umlaut"_s))
            QVERIFY(row[u"value"_s].toString().size() < 400);
    }
}

void TestProfiles::handWrittenLlmCache()
{
    const QString file = m_dir.filePath(u"seed.db"_s);
    exec(file,
        u"CREATE TABLE analysis_cache(cache_key TEXT PRIMARY KEY, model TEXT, prompt TEXT, response TEXT, "
        "created_at REAL);"
        "INSERT INTO analysis_cache VALUES ('k1', 'llama3.1:8b', 'Was ist ein Kühlschrank?', 'Ein Gerät', 1795840212.5);"_s);
    const auto result = runCli({ u"entries"_s, file, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject page = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(page[u"profile"_s].toString(), u"llm-cache"_s);
    QCOMPARE(page[u"columns"_s].toArray().toVariantList().size(), 6);
    const QJsonValue row = page[u"rows"_s][0];
    QCOMPARE(row[u"key"_s].toString(), u"k1"_s);
    QCOMPARE(row[u"model"_s].toString(), u"llama3.1:8b"_s);
    QCOMPARE(row[u"response"_s].toString(), u"Ein Gerät"_s);
    QCOMPARE(row[u"created"_s].toString(), u"2026-11-28T04:30:12.5Z"_s); // sub-second digits as stored (#23.4)
}

void TestProfiles::timesAreIsoUtcAsStored()
{
    // #23.4: GPTCache showed "2024-11-03 09:07:00.000137", llm logs a naive
    // "2026-08-03T13:32:07.270826", requests-cache rounded 12:59:58.9997 to 12:59:59.
    const QString stored = u"2024-11-03 12:59:58.9997"_s;
    const QDateTime time = StoredTime::fromText(stored, StoredTime::Naive::Utc);
    QCOMPARE(time.toUTC().time(), QTime(12, 59, 58, 999)); // never rounded up
    QCOMPARE(StoredTime::isoUtc(stored, time), u"2024-11-03T12:59:58.9997Z"_s);
    const QString offset = u"2024-11-03T14:59:58.5+02:00"_s;
    QCOMPARE(
        StoredTime::isoUtc(offset, StoredTime::fromText(offset, StoredTime::Naive::Utc)), u"2024-11-03T12:59:58.5Z"_s);
    QCOMPARE(StoredTime::isoUtc(QVariant(1733072487.25), EntryDecoder::fromEpoch(1733072487.25)),
        u"2024-12-01T17:01:27.25Z"_s);
    QVERIFY(!StoredTime::fromText(u"not a time"_s, StoredTime::Naive::Utc).isValid());
    // Through the CLI, on the real files: llm logs' datetime_utc is UTC by its name; GPTCache's
    // create_on is datetime.now(), the writer's local time (docs/FORMATS.md, "Times").
    const auto created = [&](const QString& file, const QString& tz) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TZ"_s, tz);
        const auto out = runProgram(
            QStringLiteral(CACHESCOPE_CLI_PATH), { u"entries"_s, m_dir.filePath(file), u"--json"_s }, 60000, env);
        return QJsonDocument::fromJson(out.out)[u"rows"_s][0][u"created"_s].toString();
    };
    QCOMPARE(created(u"logs.db"_s, u"Europe/Berlin"_s), u"2026-08-03T13:32:07.270826Z"_s);
    QCOMPARE(created(u"sqlite.db"_s, u"UTC"_s), u"2024-11-03T09:07:00.000137Z"_s);
    QCOMPARE(created(u"sqlite.db"_s, u"Europe/Berlin"_s), u"2024-11-03T08:07:00.000137Z"_s); // CET, UTC+1
    // requests-cache: the times inside the pickle keep their microseconds.
    const auto http = runCli({ u"entries"_s, m_dir.filePath(u"http_cache.sqlite"_s), u"--json"_s });
    const QJsonObject first = QJsonDocument::fromJson(http.out)[u"rows"_s][0].toObject();
    QCOMPARE(first[u"created"_s].toString(), first[u"value"_s][u"created_at"_s].toString() + u"Z"_s);
}

void TestProfiles::langchainModelFromLlmJson()
{
    auto db = Database::open(m_dir.filePath(u"langchain.db"_s), Database::Mode::ReadOnly);
    QVERIFY(db);
    auto pager = EntryPager::open(db->get(), u"full_llm_cache"_s);
    QVERIFY(pager);
    auto page = pager->first(10);
    QVERIFY(page);
    QCOMPARE(page->rows.size(), 4);
    // #23.5: the list shows what was asked — the last human message of a chat prompt (the
    // text part of a list content), the plain string of a completion prompt — before the model.
    QCOMPARE(pager->view().columnNames().mid(0, 2), (QStringList { u"message"_s, u"model"_s }));
    QStringList messages;
    for (const EntryRow& row : page->rows)
        messages << row.values[0].toString();
    QCOMPARE(
        messages, (QStringList { u"Capital of France?"_s, u"second prompt"_s, u"third prompt"_s, u"And of Peru?"_s }));
    const int prompt = pager->view().columnIndex(EntryColumn::Role::Key);
    QVERIFY(page->rows[3].values[prompt].toString().startsWith(u"[{\"lc\": 1"_s)); // the whole prompt stays
    const int model = pager->view().columnIndex(EntryColumn::Role::Model);
    const int text = int(pager->view().columnNames().indexOf(u"text"_s));
    QVERIFY(text >= 0);
    int unwrapped = 0;
    for (const EntryRow& row : page->rows)
        unwrapped += row.values[text].toString() == u"Paris"_s;
    QCOMPARE(unwrapped, 3); // a generation and a list of generations
    QStringList models;
    for (const EntryRow& row : page->rows)
        models << (row.values[model].isNull() ? u"NULL"_s : row.values[model].toString());
    models.sort();
    // The malformed llm value yields NULL instead of failing the page.
    QCOMPARE(models, (QStringList { u"NULL"_s, u"gpt-4o-mini"_s, u"gpt-4o-mini"_s, u"llama3.1:8b"_s }));
}

void TestProfiles::genericGuessesRoles()
{
    const QString file = m_dir.filePath(u"generic.db"_s);
    exec(file,
        u"CREATE TABLE jobs(id INTEGER PRIMARY KEY, cache_key TEXT, result BLOB, created_at REAL, "
        "model_name TEXT, total_tokens INTEGER, other TEXT)"_s);
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY(db);
    auto view = Profiles::view(db->get(), u"jobs"_s);
    QVERIFY(view);
    QCOMPARE(view->profile, u"generic"_s);
    QCOMPARE(view->columnNames(),
        (QStringList {
            u"id"_s, u"cache_key"_s, u"result"_s, u"created_at"_s, u"model_name"_s, u"total_tokens"_s, u"other"_s }));
    QCOMPARE(view->columns[1].role, EntryColumn::Role::Key);
    QCOMPARE(view->columns[2].role, EntryColumn::Role::Value);
    QCOMPARE(view->columns[3].role, EntryColumn::Role::Created);
    QCOMPARE(view->columns[4].role, EntryColumn::Role::Model);
    QCOMPARE(view->columns[5].role, EntryColumn::Role::Tokens);
    QCOMPARE(view->columns[6].role, EntryColumn::Role::Other);
}

void TestProfiles::infoReportsProfiles()
{
    const auto result = runCli({ u"info"_s, m_dir.filePath(u"diskcache/cache.db"_s), u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    QMap<QString, QString> profiles;
    for (const QJsonValue& table : QJsonDocument::fromJson(result.out)[u"tables"_s].toArray())
        profiles.insert(table[u"name"_s].toString(), table[u"profile"_s].toString());
    QCOMPARE(profiles.value(u"Cache"_s), u"diskcache"_s);
    QCOMPARE(profiles.value(u"Settings"_s), u"diskcache"_s);
}

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
