// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28: the window's state in sight — title and status bar say how the cache is open; its
// messages go with it; a failed open keeps the cache that was shown; the demo ends when another
// cache is opened and never enters Open Recent.
#include "models/activityfeed.h"
#include "openedwindow.h"
#include "os/cachefiles.h"
#include "pages/activitypage.h"
#include "pages/overviewpage.h"
#include "sshserver.h"
#include "testsupport.h"
#include "window/cachestatus.h"
#include "window/demosession.h"
#include "window/maintenancemenu.h"
#include "window/mainwindow.h"
#include "window/recentfiles.h"
#include "window/statusline.h"

#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// Makes a folder unwritable for this process for its lifetime: a read-only bind mount of it
// onto itself for root (whom permissions do not stop), its mode 0555 for anyone else.
class UnwritableFolder {
public:
    explicit UnwritableFolder(const QString& folder)
        : m_folder(QFile::encodeName(folder))
    {
        if (::geteuid() != 0) {
            m_chmodded = ::chmod(m_folder.constData(), 0555) == 0;
            if (!m_chmodded)
                m_why = QString::fromLocal8Bit(strerror(errno));
            return;
        }
        if (::mount(m_folder.constData(), m_folder.constData(), nullptr, MS_BIND, nullptr) != 0) {
            m_why = u"bind mount: "_s + QString::fromLocal8Bit(strerror(errno));
            return;
        }
        m_mounted = true;
        if (::mount(nullptr, m_folder.constData(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0)
            m_why = u"read-only remount: "_s + QString::fromLocal8Bit(strerror(errno));
    }
    ~UnwritableFolder()
    {
        if (m_mounted)
            (void)::umount2(m_folder.constData(), MNT_DETACH);
        if (m_chmodded)
            (void)::chmod(m_folder.constData(), 0755);
    }
    UnwritableFolder(const UnwritableFolder&) = delete;
    UnwritableFolder& operator=(const UnwritableFolder&) = delete;
    // Empty when the folder is unwritable now, else why it could not be made so.
    QString whyNot() const { return m_why; }

private:
    QByteArray m_folder;
    bool m_mounted = false;
    bool m_chmodded = false;
    QString m_why;
};

// A folder mounted with sshfs (Debian's sshfs: FUSE and SFTP) from a real OpenSSH server on
// 127.0.0.1 for its lifetime: a network filesystem, as a user's home on another host would be.
class SshfsMount {
public:
    SshfsMount(const SshServer& server, const QString& remoteFolder, const QString& mountPoint)
        : m_mountPoint(mountPoint)
    {
        const QString sshfs = QStandardPaths::findExecutable(u"sshfs"_s);
        if (sshfs.isEmpty()) {
            m_why = u"sshfs is not installed (Debian's sshfs)"_s;
            return;
        }
        if (!QFileInfo::exists(u"/dev/fuse"_s)) {
            m_why = u"this machine has no /dev/fuse"_s;
            return;
        }
        QProcess mount;
        mount.setProcessEnvironment(server.environment());
        mount.setProcessChannelMode(QProcess::MergedChannels);
        mount.start(sshfs, { u"-F"_s, server.configPath(), SshServer::host() + u':' + remoteFolder, mountPoint });
        if (!mount.waitForFinished(30000) || mount.exitStatus() != QProcess::NormalExit || mount.exitCode() != 0) {
            m_why = u"sshfs failed: "_s + QString::fromLocal8Bit(mount.readAll()).trimmed();
            return;
        }
        m_mounted = true;
    }
    ~SshfsMount()
    {
        if (m_mounted)
            QProcess::execute(u"fusermount3"_s, { u"-u"_s, u"-z"_s, m_mountPoint });
    }
    SshfsMount(const SshfsMount&) = delete;
    SshfsMount& operator=(const SshfsMount&) = delete;
    // Empty when the folder is mounted, else why it could not be.
    QString whyNot() const { return m_why; }

private:
    QString m_mountPoint;
    QString m_why;
    bool m_mounted = false;
};
} // namespace

class TestWindowState : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QCoreApplication::setApplicationName(u"tst_windowstate"_s);
        QVERIFY(m_dir.isValid());
        qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
        qputenv("TMPDIR", QFile::encodeName(m_dir.filePath(u"tmp"_s)));
        QVERIFY(QDir().mkpath(m_dir.filePath(u"tmp"_s)));
    }
    void titleAndStatusSayHowItIsOpen();
    void failedOpenKeepsTheCacheShown();
    void messagesGoWithTheirCache();
    void demoEndsWhenAnotherCacheOpens();
    void conversionBannerSwitchesBackAndForth();
    void switchBackRefusedWhileAnotherProcessHasIt();
    void switchBackWithdrawnOnceAnotherProcessOpensIt();
    void unwritableFolderOpensReadOnlySayingWhy();
    void networkFilesystemOpensReadOnlySayingWhy();

private:
    QString cacheStatusText(MainWindow& window) { return window.findChild<CacheStatus*>()->text(); }
    QTemporaryDir m_dir;
};

void TestWindowState::titleAndStatusSayHowItIsOpen()
{
    const QString wal = m_dir.filePath(u"wal.db"_s);
    makeCache(wal, u"wal"_s, 50);
    const QString rollback = m_dir.filePath(u"rollback.db"_s);
    makeCache(rollback, u"delete"_s, 50);
    MainWindow window;
    window.resize(1000, 708);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle(), u"CacheScope"_s);
    QVERIFY(openAndWait(window, rollback, Database::Mode::ReadOnly));
    QCOMPARE(window.windowTitle(), u"%1 — read-only, DELETE — CacheScope"_s.arg(rollback));
    QVERIFY2(cacheStatusText(window).startsWith(u"Read-only · "_s), qPrintable(cacheStatusText(window)));
    QVERIFY2(cacheStatusText(window).contains(u" · DELETE · 8.0\u00a0KiB"_s), qPrintable(cacheStatusText(window)));
    // The Health advice for a rollback cache names the window's menu item, not the CLI's command.
    const OverviewPage* overview = window.overviewPage();
    QTRY_VERIFY_WITH_TIMEOUT(overview->healthText().contains(u"Not in WAL mode"_s), 20000);
    QVERIFY2(overview->healthText().contains(u"Maintenance › Switch to WAL…"_s), qPrintable(overview->healthText()));
    QVERIFY2(!overview->healthText().contains(u"cachescope-cli"_s), qPrintable(overview->healthText()));
    QVERIFY(window.grab().save(screenshotPath(u"window-read-only-title-status.png"_s)));
    QVERIFY(openAndWait(window, wal, Database::Mode::ReadWrite));
    QCOMPARE(window.windowTitle(), u"%1 — WAL — CacheScope"_s.arg(wal));
    QVERIFY2(cacheStatusText(window).startsWith(u"Read-write · live · WAL · "_s), qPrintable(cacheStatusText(window)));
    QVERIFY2(cacheStatusText(window).contains(u" + -wal "_s), qPrintable(cacheStatusText(window)));
    window.closeDatabase();
    QCOMPARE(window.windowTitle(), u"CacheScope"_s);
    QVERIFY(cacheStatusText(window).isEmpty());
}

void TestWindowState::failedOpenKeepsTheCacheShown()
{
    const QString good = m_dir.filePath(u"good.db"_s);
    makeCache(good, u"wal"_s, 50);
    const QString bad = m_dir.filePath(u"notes.txt"_s);
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    MainWindow window;
    QVERIFY(showAndOpen(window, good, Database::Mode::ReadWrite));
    const Database* shown = window.database();
    window.pages()->setCurrentIndex(1);
    QVERIFY(!openAndWait(window, bad, Database::Mode::ReadWrite));
    QCOMPARE(window.database(), shown); // never closed
    QCOMPARE(window.pages()->currentIndex(), 1);
    QVERIFY(window.pages()->isVisible());
    QVERIFY2(window.errorText().contains(u"Could not open %1"_s.arg(bad)), qPrintable(window.errorText()));
    QVERIFY2(window.errorText().contains(u"%1 is still open"_s.arg(good)), qPrintable(window.errorText()));
    QVERIFY(window.windowTitle().startsWith(good));
    QVERIFY(window.grab().save(screenshotPath(u"window-failed-open-keeps-cache.png"_s)));
    QCOMPARE(window.database()->rowCount(u"entries"_s).value(), 50);
    // Opening it again (the same file) still works, and the error goes.
    QVERIFY(openAndWait(window, good, Database::Mode::ReadOnly));
    QVERIFY(window.errorText().isEmpty());
}

void TestWindowState::messagesGoWithTheirCache()
{
    const QString rollback = m_dir.filePath(u"converted.db"_s);
    makeCache(rollback, u"delete"_s, 10);
    const QString other = m_dir.filePath(u"other.db"_s);
    makeCache(other, u"wal"_s, 10);
    MainWindow window;
    QVERIFY(showAndOpen(window, rollback, Database::Mode::ReadWrite));
    QVERIFY(window.database()->convertedToWal());
    auto* line = window.findChild<StatusLine*>();
    QVERIFY(line);
    line->setMessage(u"about converted.db"_s);
    QVERIFY(openAndWait(window, other, Database::Mode::ReadWrite));
    QVERIFY2(window.statusMessage().isEmpty(), qPrintable(window.statusMessage()));
    QVERIFY(line->text().isEmpty());
    line->setMessage(u"about other.db"_s);
    window.closeDatabase();
    QVERIFY(window.statusMessage().isEmpty());
}

void TestWindowState::demoEndsWhenAnotherCacheOpens()
{
    const QString other = m_dir.filePath(u"after-demo.db"_s);
    makeCache(other, u"wal"_s, 10);
    QSettings().remove(u"recentFiles"_s);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy finished(&window, &MainWindow::openFinished);
    DemoSession::Options options;
    options.cliPath = QStringLiteral(CACHESCOPE_CLI_PATH);
    const Status started = window.startDemo(options);
    QVERIFY2(started.ok(), qPrintable(started.error().message));
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.first().first().toBool());
    const QString demo = window.demoPath();
    QVERIFY(window.isDemoRunning());
    QCOMPARE(window.database()->path(), demo);
    QVERIFY(!RecentFiles().paths().contains(demo));
    // A reopen of the demo's cache (as a cancelled delete does) does not remember it either.
    QVERIFY(openAndWait(window, demo, Database::Mode::ReadWrite));
    QVERIFY(!RecentFiles().paths().contains(demo));
    QVERIFY(window.isDemoRunning());
    QVERIFY(openAndWait(window, other, Database::Mode::ReadWrite));
    QVERIFY(!window.isDemoRunning());
    QVERIFY(window.demoPath().isEmpty());
    QVERIFY(!QFileInfo::exists(demo));
    QVERIFY(!QFileInfo::exists(QFileInfo(demo).absolutePath()));
    // The cache opened after the demo is the latest; no demo cache is remembered (other test
    // functions' caches may be there too: the list is the process's settings).
    const QStringList recent = RecentFiles().paths();
    QVERIFY2(!recent.isEmpty() && recent.first() == other, qPrintable(recent.join(u", "_s)));
    for (const QString& path : recent)
        QVERIFY2(!QFileInfo(QFileInfo(path).absolutePath()).fileName().startsWith(DemoSession::directoryPrefix()),
            qPrintable(path));
}

// Drives the next modal QMessageBox: Enter first (Cancel is the default: nothing happens), or
// clicks the button labelled `click`.
static void answerNextQuestion(QObject* context, const QString& click, bool* seen)
{
    QTimer::singleShot(0, context, [click, seen] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        *seen = box != nullptr;
        if (!box)
            return;
        if (click.isEmpty()) {
            QTest::keyClick(box, Qt::Key_Return);
            return;
        }
        for (QAbstractButton* button : box->buttons()) {
            if (button->text() == click)
                QTest::mouseClick(button, Qt::LeftButton);
        }
    });
}

void TestWindowState::conversionBannerSwitchesBackAndForth()
{
    const QString path = m_dir.filePath(u"was-delete.db"_s);
    makeCache(path, u"delete"_s, 30);
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, path, Database::Mode::ReadWrite));
    QCOMPARE(window.database()->journalMode(), u"wal"_s);
    QVERIFY2(window.noticeText().contains(u"Switched to WAL"_s), qPrintable(window.noticeText()));
    QVERIFY2(window.noticeText().contains(u"it was in DELETE mode"_s), qPrintable(window.noticeText()));
    auto* back = window.findChild<QPushButton*>(u"noticeAction"_s);
    QVERIFY(back && back->isVisible());
    QCOMPARE(back->text(), u"Switch back to DELETE"_s);
    QVERIFY(window.grab().save(screenshotPath(u"window-converted-banner.png"_s)));
    QSignalSpy finished(&window, &MainWindow::openFinished);
    QTest::mouseClick(back, Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.first().first().toBool());
    QCOMPARE(window.database()->journalMode(), u"delete"_s);
    QVERIFY(window.database()->isReadOnly()); // or the open would convert it again
    QVERIFY2(window.noticeText().contains(u"Switched back to DELETE"_s), qPrintable(window.noticeText()));
    QVERIFY(!QFileInfo::exists(path + u"-wal"_s));
    QVERIFY(window.windowTitle().contains(u"read-only, DELETE"_s));
    // Maintenance › Switch to WAL…, for the cache now open read-only: Enter cancels.
    auto* maintenance = window.findChild<MaintenanceMenu*>();
    bool asked = false;
    answerNextQuestion(this, {}, &asked);
    maintenance->switchToWal();
    QVERIFY(asked);
    QCOMPARE(window.database()->journalMode(), u"delete"_s);
    finished.clear();
    answerNextQuestion(this, u"Switch to WAL"_s, &asked);
    maintenance->switchToWal();
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.first().first().toBool());
    QCOMPARE(window.database()->journalMode(), u"wal"_s);
    QVERIFY(window.database()->isReadOnly()); // opened as it was
    QVERIFY2(window.noticeText().contains(u"Switched to WAL"_s), qPrintable(window.noticeText()));
    window.closeDatabase();
    QVERIFY(window.noticeText().isEmpty()); // the notice goes with its cache
}

void TestWindowState::switchBackRefusedWhileAnotherProcessHasIt()
{
    const QString path = m_dir.filePath(u"shared.db"_s);
    makeCache(path, u"delete"_s, 30);
    MainWindow window;
    QVERIFY(showAndOpen(window, path, Database::Mode::ReadWrite));
    PythonChild holder(holderScript(), { path, u"idle"_s }); // opened it since, in WAL
    QVERIFY(holder.waitReady());
    QSignalSpy finished(&window, &MainWindow::openFinished);
    QTest::mouseClick(window.findChild<QPushButton*>(u"noticeAction"_s), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.first().first().toBool());
    QCOMPARE(window.database()->journalMode(), u"wal"_s);
    QVERIFY(!window.database()->isReadOnly()); // opened again as it was
    QVERIFY2(window.noticeText().contains(u"Still in WAL journal mode"_s), qPrintable(window.noticeText()));
    QVERIFY2(window.noticeText().contains(u"PID %1"_s.arg(holder.pid())), qPrintable(window.noticeText()));
}

// The offer holds while nobody else has opened the cache since the conversion: the Activity
// feed's process list withdraws it as soon as another process has it open — not only when the
// button is clicked — and it stays withdrawn after that process is gone.
void TestWindowState::switchBackWithdrawnOnceAnotherProcessOpensIt()
{
    const QString path = m_dir.filePath(u"opened-since.db"_s);
    makeCache(path, u"delete"_s, 30);
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, path, Database::Mode::ReadWrite));
    auto* back = window.findChild<QPushButton*>(u"noticeAction"_s);
    QVERIFY(back && back->isVisible());
    // Our own connection (listed by the feed as holding db, -wal and -shm) is not "another process".
    int processLists = 0;
    connect(window.activityPage()->feed(), &ActivityFeed::sampleReceived, &window,
        [&](const ActivitySample& sample) { processLists += sample.processes.has_value() ? 1 : 0; });
    QTRY_VERIFY_WITH_TIMEOUT(processLists >= 2, 60000);
    QVERIFY(back->isVisible());
    {
        PythonChild holder(holderScript(), { path, u"idle"_s });
        QVERIFY(holder.waitReady());
        QTRY_VERIFY_WITH_TIMEOUT(!back->isVisible(), 60000);
        QVERIFY2(window.noticeText().contains(u"PID %1"_s.arg(holder.pid())), qPrintable(window.noticeText()));
        QVERIFY2(window.noticeText().contains(u"no longer offered"_s), qPrintable(window.noticeText()));
        QVERIFY(window.grab().save(screenshotPath(u"window-converted-banner-withdrawn.png"_s)));
    }
    processLists = 0;
    QTRY_VERIFY_WITH_TIMEOUT(processLists >= 3, 60000); // the holder is gone: still withdrawn
    QVERIFY(!back->isVisible());
    QCOMPARE(window.database()->journalMode(), u"wal"_s);
}

// A DELETE-mode cache whose folder cannot hold a -wal and -shm is opened read-only instead of
// being switched to WAL, and the banner says why; nothing in the folder changes.
void TestWindowState::unwritableFolderOpensReadOnlySayingWhy()
{
    const QString folder = m_dir.filePath(u"unwritable"_s);
    QVERIFY(QDir().mkpath(folder));
    const QString db = folder + u"/cache.db"_s;
    makeCache(db, u"delete"_s, 20);
    QFile file(db);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();
    file.close();
    const QStringList filesBefore = QDir(folder).entryList(QDir::Files | QDir::Hidden);
    UnwritableFolder unwritable(folder);
    if (!unwritable.whyNot().isEmpty())
        QSKIP(qPrintable(u"cannot make a folder unwritable here: "_s + unwritable.whyNot()));
    QVERIFY(::access(QFile::encodeName(folder).constData(), W_OK) != 0);
    MainWindow window;
    QVERIFY(showAndOpen(window, db, Database::Mode::ReadWrite)); // what File › Open asks for
    QVERIFY(window.database()->isReadOnly());
    QCOMPARE(window.windowTitle(), u"%1 — read-only, DELETE — CacheScope"_s.arg(db));
    const QString notice = window.noticeText();
    QVERIFY2(notice.contains(u"Opened <b>read-only</b>: its folder %1 is "_s.arg(folder)), qPrintable(notice));
    QVERIFY2(notice.contains(::geteuid() == 0 ? u"on a read-only filesystem"_s : u"not writable by you"_s),
        qPrintable(notice));
    QVERIFY2(notice.contains(u"it was not switched to WAL"_s), qPrintable(notice));
    QVERIFY(window.grab().save(screenshotPath(u"window-unwritable-folder.png"_s)));
    QCOMPARE(window.database()->rowCount(u"entries"_s).value(), 20);
    window.closeDatabase();
    QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden), filesBefore);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before); // still in DELETE mode, not a byte changed
}

// A cache on a network filesystem (sshfs from a real sshd): File › Open asks for read-write, the
// window opens it read-only and says why; it is neither switched to WAL nor given a -wal or
// -shm, here or on the other side.
void TestWindowState::networkFilesystemOpensReadOnlySayingWhy()
{
    const QString remote = m_dir.filePath(u"on-the-server"_s);
    const QString mountPoint = m_dir.filePath(u"mounted"_s);
    QVERIFY(QDir().mkpath(remote) && QDir().mkpath(mountPoint));
    makeCache(remote + u"/cache.db"_s, u"delete"_s, 20);
    QFile file(remote + u"/cache.db"_s);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();
    file.close();
    SshServer server;
    server.enableSftp();
    if (!server.start())
        QSKIP(qPrintable(u"no OpenSSH server here: "_s + server.reason()));
    SshfsMount mount(server, remote, mountPoint);
    if (!mount.whyNot().isEmpty())
        QSKIP(qPrintable(u"cannot mount with sshfs here: "_s + mount.whyNot()));
    const QString db = mountPoint + u"/cache.db"_s;
    QVERIFY(CacheFiles::filesystemOf(db).network);
    MainWindow window;
    QVERIFY(showAndOpen(window, db, Database::Mode::ReadWrite)); // what File › Open asks for
    QVERIFY(window.database()->isReadOnly());
    QCOMPARE(window.windowTitle(), u"%1 — read-only, remote, DELETE — CacheScope"_s.arg(db));
    const QString notice = window.noticeText();
    QVERIFY2(notice.contains(u"Opened <b>read-only</b>: it is on a network filesystem (fuse)"_s), qPrintable(notice));
    QVERIFY2(notice.contains(u"it was not switched to WAL"_s), qPrintable(notice));
    QVERIFY2(cacheStatusText(window).startsWith(u"Read-only · "_s), qPrintable(cacheStatusText(window)));
    QVERIFY2(cacheStatusText(window).contains(u" · remote (fuse) · DELETE · "_s), qPrintable(cacheStatusText(window)));
    // Health gives the one safe advice: move it to a local disk, never "switch it to WAL".
    const OverviewPage* overview = window.overviewPage();
    QTRY_VERIFY_WITH_TIMEOUT(overview->healthText().contains(u"On a network filesystem"_s), 20000);
    QVERIFY2(overview->healthText().contains(u"Move the cache to a local disk"_s), qPrintable(overview->healthText()));
    QVERIFY2(!overview->healthText().contains(u"Switch"_s), qPrintable(overview->healthText()));
    QVERIFY2(!overview->healthText().contains(u"switch to WAL"_s), qPrintable(overview->healthText()));
    // Writes from other hosts raise no event here: nothing claims the writers are exact.
    QTRY_VERIFY_WITH_TIMEOUT(overview->writersText().contains(u"writers named"_s), 20000);
    QVERIFY2(!overview->writersText().contains(u"named exactly"_s), qPrintable(overview->writersText()));
    settleEvents(); // the layout the new Health text asked for, before the grab
    QVERIFY(window.grab().save(screenshotPath(u"window-network-filesystem.png"_s)));
    QCOMPARE(window.database()->rowCount(u"entries"_s).value(), 20);
    window.closeDatabase();
    QCOMPARE(QDir(remote).entryList(QDir::Files | QDir::Hidden), QStringList { u"cache.db"_s });
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before); // still in DELETE mode, not a byte changed
}

QTEST_MAIN(TestWindowState)
#include "tst_windowstate.moc"
