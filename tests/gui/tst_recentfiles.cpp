// SPDX-License-Identifier: GPL-3.0-or-later
// Open Recent never writes its settings on the GUI thread (#23): QSettings' sync to disk took
// 5–26 ms there. The settings go through a format of the test's own (QSettings::setDefaultFormat,
// which QSettings() uses) whose write records its thread and takes 200 ms, like a slow disk.
#include "window/recentfiles.h"

#include <QSettings>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Qt::Literals::StringLiterals;

namespace {
std::atomic<QThread*> s_writeThread { nullptr };
std::atomic<int> s_writes { 0 };

bool readMap(QIODevice& device, QSettings::SettingsMap& map)
{
    QDataStream in(&device);
    in >> map;
    return in.status() == QDataStream::Ok || device.size() == 0;
}

bool slowWrite(QIODevice& device, const QSettings::SettingsMap& map)
{
    s_writeThread = QThread::currentThread();
    QThread::msleep(200);
    QDataStream out(&device);
    out << map;
    ++s_writes;
    return true;
}
} // namespace

class TestRecentFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QCoreApplication::setApplicationName(u"tst_recentfiles"_s);
        QSettings::setDefaultFormat(QSettings::registerFormat(u"slowtest"_s, readMap, slowWrite));
        QSettings().clear();
        QSettings().sync();
        RecentFiles::waitForWrites();
    }

    void addWritesOffTheGuiThread()
    {
        s_writeThread = nullptr;
        const int writesBefore = s_writes;
        RecentFiles().add(u"/tmp/one.db"_s);
        RecentFiles().add(u"/tmp/two.db"_s);
        // Seen at once by every RecentFiles, before the settings file has them.
        QCOMPARE(RecentFiles().paths(), (QStringList { u"/tmp/two.db"_s, u"/tmp/one.db"_s }));
        RecentFiles::waitForWrites();
        QVERIFY(s_writes > writesBefore);
        QVERIFY(s_writeThread.load() != nullptr);
        QVERIFY2(s_writeThread.load() != QThread::currentThread(), "the settings were written on the GUI thread");
        // Written, in the order asked: the settings file holds the latest list.
        QCOMPARE(
            QSettings().value(u"recentFiles"_s).toStringList(), (QStringList { u"/tmp/two.db"_s, u"/tmp/one.db"_s }));
        RecentFiles().remove(u"/tmp/two.db"_s);
        RecentFiles::waitForWrites();
        QCOMPARE(QSettings().value(u"recentFiles"_s).toStringList(), QStringList { u"/tmp/one.db"_s });
        QCOMPARE(RecentFiles().paths(), QStringList { u"/tmp/one.db"_s });
    }
};

QTEST_GUILESS_MAIN(TestRecentFiles)
#include "tst_recentfiles.moc"
