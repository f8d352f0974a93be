// SPDX-License-Identifier: GPL-3.0-or-later
// Profiles: real caches written by the real libraries (diskcache, requests-cache, sqlitedict)
// and files of the other formats built from their exact DDL are recognised with their columns.
#include "entries/entrypager.h"
#include "entries/profiles.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
    void langchainModelFromLlmJson();
    void genericGuessesRoles();
    void infoReportsProfiles();

private:
    QTemporaryDir m_dir;
};

void TestProfiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const auto result = runProgram(u"/usr/bin/python3"_s,
        { QStringLiteral(CACHESCOPE_SOURCE_DIR) + u"/tests/support/make_caches.py"_s, m_dir.path() });
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
                                            u"expires"_s, u"hits"_s }
                                     << true;
    QTest::newRow("diskcache Settings") << u"diskcache/cache.db"_s << u"Settings"_s << u"diskcache"_s
                                        << QStringList { u"key"_s, u"value"_s } << false;
    QTest::newRow("requests-cache responses") << u"http_cache.sqlite"_s << u"responses"_s << u"requests-cache"_s
                                              << QStringList { u"key"_s, u"value"_s, u"size"_s } << true;
    QTest::newRow("requests-cache redirects") << u"http_cache.sqlite"_s << u"redirects"_s << u"requests-cache"_s
                                              << QStringList { u"key"_s, u"value"_s, u"size"_s } << false;
    QTest::newRow("sqlitedict") << u"dict.sqlite"_s << u"unnamed"_s << u"sqlitedict"_s
                                << QStringList { u"key"_s, u"value"_s, u"size"_s } << true;
    QTest::newRow("langchain") << u"langchain.db"_s << u"full_llm_cache"_s << u"langchain"_s
                               << QStringList { u"prompt"_s, u"model"_s, u"idx"_s, u"response"_s, u"size"_s,
                                      u"input_tokens"_s, u"output_tokens"_s }
                               << true;
    QTest::newRow("langchain md5") << u"langchain.db"_s << u"full_md5_llm_cache"_s << u"langchain"_s
                                   << QStringList { u"id"_s, u"prompt"_s, u"model"_s } << true;
    QTest::newRow("gptcache") << u"sqlite.db"_s << u"gptcache_question"_s << u"gptcache"_s
                              << QStringList { u"question"_s, u"answer"_s, u"created"_s, u"last_access"_s } << true;
    QTest::newRow("gptcache answers") << u"sqlite.db"_s << u"gptcache_answer"_s << u"gptcache"_s
                                      << QStringList { u"answer"_s, u"question_id"_s } << false;
    QTest::newRow("llm logs") << u"logs.db"_s << u"responses"_s << u"llm-logs"_s
                              << QStringList { u"model"_s, u"prompt"_s, u"response"_s, u"created"_s, u"input_tokens"_s,
                                     u"output_tokens"_s }
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

void TestProfiles::diskcacheInItsOwnTerms()
{
    auto db = Database::open(m_dir.filePath(u"diskcache/cache.db"_s), Database::Mode::ReadOnly);
    QVERIFY(db);
    auto pager = EntryPager::open(db->get(), u"Cache"_s);
    QVERIFY(pager);
    auto page = pager->first(100);
    QVERIFY(page);
    const int key = pager->view().columnIndex(EntryColumn::Role::Key);
    const int size = pager->view().columnIndex(EntryColumn::Role::Size);
    QMap<QString, qint64> sizes;
    for (const EntryRow& row : page->rows)
        sizes.insert(row.values[key].toString(), row.values[size].toLongLong());
    QVERIFY2(sizes.contains(u"text-key"_s), qPrintable(sizes.keys().join(u',')));
    // The pickled tuple key is shown as its size, never unpickled.
    bool pickled = false;
    for (const QString& k : sizes.keys())
        pickled = pickled || (k.startsWith(u"pickle, "_s) && k.endsWith(u" B"_s));
    QVERIFY(pickled);
    // The 40000-character text value lives in a file; its size is the size column / the file.
    QCOMPARE(sizes.value(u"big"_s), qint64(40000));
    QCOMPARE(sizes.value(u"text-key"_s), qint64(12));
}

void TestProfiles::langchainModelFromLlmJson()
{
    auto db = Database::open(m_dir.filePath(u"langchain.db"_s), Database::Mode::ReadOnly);
    QVERIFY(db);
    auto pager = EntryPager::open(db->get(), u"full_llm_cache"_s);
    QVERIFY(pager);
    auto page = pager->first(10);
    QVERIFY(page);
    QCOMPARE(page->rows.size(), 2);
    const int model = pager->view().columnIndex(EntryColumn::Role::Model);
    QStringList models;
    for (const EntryRow& row : page->rows)
        models << (row.values[model].isNull() ? u"NULL"_s : row.values[model].toString());
    models.sort();
    // The malformed llm value yields NULL instead of failing the page.
    QCOMPARE(models, (QStringList { u"NULL"_s, u"gpt-4o-mini"_s }));
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
