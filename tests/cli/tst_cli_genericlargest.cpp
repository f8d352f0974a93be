// SPDX-License-Identifier: GPL-3.0-or-later
// #28 new-user defect 7: the largest entries of a generic table (no column a key by its name)
// said "(no key)" — `info` printed "largest:  (4.9 KiB)" — where a title or an id could name
// them. Now the first TEXT column named like a title, name, key, URL, prompt or id names them,
// else the INTEGER PRIMARY KEY; what the table is searched by is unchanged (every text column).
#include "scratchdir.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCliGenericLargest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.renew()); }
    void titleNamesTheLargest();
    void integerPrimaryKeyWhenNoTitle();
    void searchStillGoesThroughEveryColumn();

private:
    QJsonArray largest(const QString& file)
    {
        const auto info = runCli({ u"info"_s, file, u"--json"_s });
        if (info.exitCode != 0)
            return {};
        return info.json()[u"contents"_s].toObject()[u"largest"_s].toArray();
    }
    ScratchDir m_dir;
};

void TestCliGenericLargest::titleNamesTheLargest()
{
    const QString file = m_dir.filePath(u"articles.db"_s);
    // The body is the value (its name says so). "page title" is not named like a label (a space,
    // no _); odd"_name is, and is read through its quoted name.
    exec(file,
        u"CREATE TABLE articles(id INTEGER PRIMARY KEY, \"page title\" TEXT, \"odd\"\"_name\" TEXT, body TEXT);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) "
        "INSERT INTO articles(\"page title\", \"odd\"\"_name\", body) SELECT 'Article ' || i, 'Author ' || i, "
        "printf('%.*c', 1000 * i, 'x') FROM n;"_s);
    const QJsonArray top = largest(file);
    QCOMPARE(top.size(), 5);
    QCOMPARE(top[0].toObject()[u"rowid"_s].toInteger(), 5);
    QCOMPARE(top[0].toObject()[u"label"_s].toString(), u"Author 5"_s);
    QCOMPARE(top[0].toObject()[u"key"_s].toString(), u"Author 5"_s);
    const auto text = runCli({ u"info"_s, file });
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("Author 5"), text.out.constData());

    const QString titled = m_dir.filePath(u"titled.db"_s);
    exec(titled,
        u"CREATE TABLE notes(id INTEGER PRIMARY KEY, note_title VARCHAR(80), body TEXT);"
        "INSERT INTO notes(note_title, body) VALUES ('small', 'x'), ('the big one', printf('%.*c', 5000, 'y'));"_s);
    QCOMPARE(largest(titled)[0].toObject()[u"label"_s].toString(), u"the big one"_s);
}

void TestCliGenericLargest::integerPrimaryKeyWhenNoTitle()
{
    const QString file = m_dir.filePath(u"blobs.db"_s);
    exec(file,
        u"CREATE TABLE blobs(n INTEGER PRIMARY KEY, data BLOB);"
        "INSERT INTO blobs VALUES (7, zeroblob(10)), (42, zeroblob(5000)), (9, zeroblob(100));"_s);
    const QJsonArray top = largest(file);
    QCOMPARE(top.size(), 3);
    QCOMPARE(top[0].toObject()[u"label"_s].toString(), u"42"_s);
    QCOMPARE(top[1].toObject()[u"label"_s].toString(), u"9"_s);
}

void TestCliGenericLargest::searchStillGoesThroughEveryColumn()
{
    // The column that names an entry is not the key: `entries --search` finds text in any column.
    const QString file = m_dir.filePath(u"articles.db"_s);
    exec(file,
        u"CREATE TABLE articles(id INTEGER PRIMARY KEY, title TEXT, body TEXT);"
        "INSERT INTO articles(title, body) VALUES ('first', 'needle in the body'), ('second', 'hay');"_s);
    QCOMPARE(largest(file)[0].toObject()[u"label"_s].toString(), u"first"_s);
    const auto found = runCli({ u"entries"_s, file, u"--search"_s, u"needle"_s, u"--json"_s });
    QCOMPARE(found.exitCode, 0);
    QCOMPARE(found.json()[u"rows"_s].toArray().size(), 1);
}

QTEST_MAIN(TestCliGenericLargest)
#include "tst_cli_genericlargest.moc"
