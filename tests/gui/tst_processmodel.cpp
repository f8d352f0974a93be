// SPDX-License-Identifier: GPL-3.0-or-later
// The watch line as the Activity page reads it (any line that parses is showable) and ProcessModel
// (QAbstractItemModelTester) following samples measured from real processes holding real locks.
#include "livecachetest.h"
#include "measuredsample.h"
#include "models/processmodel.h"
#include "pages/activitypage.h"
#include "writerscripts.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestProcessModel : public LiveCacheTest {
    Q_OBJECT
private Q_SLOTS:
    void parsesLines_data();
    void parsesLines();
    void processModelFollowsSamples();
};

void TestProcessModel::parsesLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("writer");
    QTest::addRow("contract fields only")
        << QByteArray(R"({"t_ms":5,"wal_bytes":10,"writer_pid":42,"reader_pids":[1],"lag_frames":3})") << true
        << qint64(42);
    QTest::addRow("writer null") << QByteArray(R"({"t_ms":5,"writer_pid":null,"writer":null})") << true << qint64(0);
    QTest::addRow("not json") << QByteArray("cachescope-cli: no such file") << false << qint64(0);
    QTest::addRow("array") << QByteArray("[1,2]") << false << qint64(0);
    QTest::addRow("empty") << QByteArray() << false << qint64(0);
    QTest::addRow("wrong types") << QByteArray(R"({"t_ms":"x","readers":5,"processes":{},"writer":7})") << true
                                 << qint64(0);
}

void TestProcessModel::parsesLines()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    QFETCH(qint64, writer);
    const auto sample = WatchLine::fromJson(line);
    QCOMPARE(sample.has_value(), valid);
    if (valid) {
        QCOMPARE(sample->writer ? sample->writer->pid : 0, writer);
        ActivityPage page; // any line that parses must be showable
        page.applySample(*sample);
        QCOMPARE(page.shownWriterPid(), writer);
    }
}

void TestProcessModel::processModelFollowsSamples()
{
    ProcessModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Sampler sampler(db());
    model.update(measure(sampler, 0));
    QCOMPARE(model.rowCount(), 0);
    PythonChild* holder = start(WriterScripts::holdOpen, { db() });
    QVERIFY(holder);
    PythonChild* writer = start(WriterScripts::holdWriteLock, { db() });
    QVERIFY(writer);
    model.update(measure(sampler, 100));
    QCOMPARE(model.rowCount(), 2);
    const int writerRow = model.rowOf(writer->pid());
    QVERIFY(writerRow >= 0);
    QVERIFY(model.rowOf(holder->pid()) >= 0);
    QCOMPARE(model.data(model.index(writerRow, int(ProcessModel::Column::Role))).toString(), u"holds write lock"_s);
    QCOMPARE(model.roleOf(holder->pid()), u"has it open"_s);
    QCOMPARE(model.data(model.index(writerRow, int(ProcessModel::Column::Name))).toString(), u"python3"_s);
    QCOMPARE(model.data(model.index(writerRow, int(ProcessModel::Column::Files))).toString(),
        u"database, -wal, -shm"_s); // as the Delete dialog names them
    QCOMPARE(model.data(model.index(writerRow, int(ProcessModel::Column::Pid)), ProcessModel::SortRole).toLongLong(),
        writer->pid());
    // A sample without the process list keeps the rows and updates the roles.
    writer->stop();
    model.update(measure(sampler, 200, false));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY2(!model.roleOf(writer->pid()).contains(u"holds write lock"_s), qPrintable(model.roleOf(writer->pid())));
    model.update(measure(sampler, 300));
    QCOMPARE(model.rowCount(), 1);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(TestProcessModel)
#include "tst_processmodel.moc"
