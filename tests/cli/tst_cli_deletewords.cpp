// SPDX-License-Identifier: GPL-3.0-or-later
// What `delete` says it removed (#28, helper N's defect 19): its total line said "2 value (313 KiB)" (a count with
// no noun), and a FanoutCache's shard folders, removed once empty, were "8 value folders left empty". Each kind now
// has its noun ("2 value files", "1 database", "1 -wal") and each removed folder is said as what it was (value
// folders, shard folders, sub-cache folders). Real python3-diskcache caches, real cachescope-cli processes; the
// expected counts are read from the files before the delete.
#include "scratchdir.h"
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCliDeleteWords : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void totalsNameEachKind();
    void fanoutShardFoldersAreSaidAsSuch();

private:
    // Makes a diskcache (shards 0) or a FanoutCache (shards > 0) at m_folder with small values and `files` values
    // large enough to be stored in value files.
    void makeDiskcache(int shards, int files);
    // Files named *.val and the folders that hold no database directly (value folders) under m_folder.
    int countValueFiles() const;
    int countValueFolders() const;

    ScratchDir m_dir;
    QString m_folder;
};

void TestCliDeleteWords::init()
{
    QVERIFY(m_dir.renew());
    m_folder = m_dir.filePath(u"cache"_s);
}

void TestCliDeleteWords::makeDiskcache(int shards, int files)
{
    const auto made = runPythonScript(u"import diskcache, sys\n"
                                      "shards, files = int(sys.argv[2]), int(sys.argv[3])\n"
                                      "c = diskcache.FanoutCache(sys.argv[1], shards=shards) if shards else "
                                      "diskcache.Cache(sys.argv[1])\n"
                                      "for i in range(40): c.set('k%d' % i, 'v' * 100)\n"
                                      "for i in range(files): c.set('big%d' % i, b'x' * 40000)\n"
                                      "c.close()\n"_s,
        { m_folder, QString::number(shards), QString::number(files) });
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

int TestCliDeleteWords::countValueFiles() const
{
    int count = 0;
    for (QDirIterator it(m_folder, { u"*.val"_s }, QDir::Files, QDirIterator::Subdirectories); it.hasNext(); it.next())
        ++count;
    return count;
}

int TestCliDeleteWords::countValueFolders() const
{
    int count = 0;
    for (QDirIterator it(m_folder, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories); it.hasNext();) {
        const QString folder = it.next();
        if (!QFileInfo::exists(folder + u"/cache.db"_s))
            ++count;
    }
    return count;
}

void TestCliDeleteWords::totalsNameEachKind()
{
    makeDiskcache(0, 2);
    const int valueFiles = countValueFiles();
    QCOMPARE(valueFiles, 2);
    const int valueFolders = countValueFolders();
    QVERIFY(valueFolders > 0);
    const auto dry = runCli({ u"delete"_s, m_folder, u"--dry-run"_s });
    QCOMPARE(dry.exitCode, 0);
    const QString planned = QString::fromUtf8(dry.out);
    static const QRegularExpression nounless(u"\\d+ (value|db|wal|shm|journal) \\("_s);
    QVERIFY2(!nounless.match(planned).hasMatch(), qPrintable(planned));
    QVERIFY2(planned.contains(u"total: 2 value files ("_s), qPrintable(planned));
    QVERIFY2(planned.contains(u", 1 database ("_s), qPrintable(planned));
    const auto done = runCli({ u"delete"_s, m_folder });
    QCOMPARE(done.exitCode, 0);
    const QString said = QString::fromUtf8(done.out);
    QVERIFY2(!nounless.match(said).hasMatch(), qPrintable(said));
    QVERIFY2(said.contains(u"removed %1 value folders left empty\n"_s.arg(valueFolders)), qPrintable(said));
}

void TestCliDeleteWords::fanoutShardFoldersAreSaidAsSuch()
{
    makeDiskcache(8, 2);
    const int valueFolders = countValueFolders();
    QVERIFY(valueFolders > 0);
    const auto done = runCli({ u"delete"_s, m_folder });
    QCOMPARE(done.exitCode, 0);
    const QString said = QString::fromUtf8(done.out);
    QVERIFY2(said.contains(u"removed %1 value folders and 8 shard folders left empty\n"_s.arg(valueFolders)),
        qPrintable(said));
    QVERIFY2(said.contains(u"total: 2 value files ("_s) && said.contains(u", 8 databases ("_s), qPrintable(said));
    QVERIFY(QDir(m_folder).isEmpty()); // the folder given stays, empty
}

QTEST_GUILESS_MAIN(TestCliDeleteWords)
#include "tst_cli_deletewords.moc"
