// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28 item 1, safe by default: Enter in any field of a dialog that acts on the cache
// (Checkpoint, Vacuum, Prune, Delete) runs nothing — Close or Cancel is the default button, and
// no button that acts takes Enter, whichever field or button has the focus. The Checkpoint
// dialog's timeout field once ran a checkpoint on Enter. And the Delete dialog says where each
// file goes, with its size: to the trash, deleted for good, or removed by SQLite itself. Real
// widgets and real QTest key events, against a real cache with a -wal and -shm.
#include "common/format.h"
#include "dialogs/checkpointdialog.h"
#include "dialogs/deletedialog.h"
#include "dialogs/prunedialog.h"
#include "dialogs/vacuumdialog.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QApplication>
#include <QCheckBox>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestSafeDialogs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QVERIFY(m_dataHome.isValid()); // the delete dialog moves to a trash of the test's own
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_dataHome.path()));
    }
    void enterInAnyFieldRunsNothing_data();
    void enterInAnyFieldRunsNothing();
    void deleteSaysWhereEachFileGoes_data();
    void deleteSaysWhereEachFileGoes();

private:
    QTemporaryDir m_dataHome;
    ScratchDir m_dir;
};

namespace {
// The database and its -wal, byte for byte (the -shm changes with every reader's read mark).
QByteArray contents(const QString& db)
{
    return QCryptographicHash::hash(fileBytes(db), QCryptographicHash::Sha256)
        + QCryptographicHash::hash(fileBytes(db + u"-wal"_s), QCryptographicHash::Sha256);
}

// The dialog's widgets that take the keyboard focus with Tab, in a stable order.
QList<QWidget*> fieldsOf(QDialog& dialog)
{
    QList<QWidget*> fields;
    for (QWidget* widget : dialog.findChildren<QWidget*>()) {
        if ((widget->focusPolicy() & Qt::TabFocus) && widget->isVisibleTo(&dialog) && widget->isEnabled())
            fields << widget;
    }
    return fields;
}

struct Opened {
    std::unique_ptr<QDialog> dialog;
    std::function<bool()> running; // a checkpoint, vacuum, prune or delete was started
};

Opened openDialog(const QString& kind, const QString& db)
{
    Opened opened;
    if (kind == u"checkpoint"_s) {
        auto* dialog = new CheckpointDialog(db);
        dialog->setMode(Checkpoint::Mode::Full); // its timeout field is enabled
        opened.running = [dialog] { return dialog->isRunning() || !dialog->resultText().isEmpty(); };
        opened.dialog.reset(dialog);
    } else if (kind == u"vacuum"_s) {
        auto* dialog = new VacuumDialog(db);
        dialog->setIntoPath(QString());
        opened.running = [dialog] { return dialog->isRunning() || !dialog->resultText().isEmpty(); };
        opened.dialog.reset(dialog);
    } else if (kind == u"prune"_s) {
        auto* dialog = new PruneDialog(db);
        opened.running = [dialog] { return dialog->isRunning() || !dialog->resultText().isEmpty(); };
        opened.dialog.reset(dialog);
    } else {
        auto* dialog = new DeleteDialog(db);
        auto released = std::make_shared<int>(0);
        QObject::connect(dialog, &DeleteDialog::releaseRequested, dialog, [released] { ++*released; });
        opened.running = [dialog, released] { return *released > 0 || !dialog->deleteButton()->isEnabled(); };
        opened.dialog.reset(dialog);
    }
    return opened;
}

// Waits until what the dialog reads on opening is shown (its buttons are then what they stay).
bool ready(const QString& kind, QDialog* dialog)
{
    if (kind == u"checkpoint"_s)
        return static_cast<CheckpointDialog*>(dialog)->hasCheckedBefore();
    if (kind == u"vacuum"_s)
        return static_cast<VacuumDialog*>(dialog)->hasCheckedBefore();
    if (kind == u"delete"_s)
        return static_cast<DeleteDialog*>(dialog)->deleteButton()->isEnabled();
    return true;
}
} // namespace

void TestSafeDialogs::enterInAnyFieldRunsNothing_data()
{
    QTest::addColumn<QString>("kind");
    for (const char* kind : { "checkpoint", "vacuum", "prune", "delete" })
        QTest::newRow(kind) << QString::fromLatin1(kind);
}

void TestSafeDialogs::enterInAnyFieldRunsNothing()
{
    QFETCH(QString, kind);
    QVERIFY(m_dir.renew());
    const QString db = m_dir.filePath(u"cache.db"_s);
    makeCache(db, u"wal"_s, 200);
    writeLeavingWal(db, 50); // frames a checkpoint would copy back, pages a vacuum would rewrite
    QVERIFY(QFileInfo(db + u"-wal"_s).size() > 0);
    const QByteArray before = contents(db);
    qsizetype fieldCount = -1;
    QStringList tried;
    for (qsizetype i = 0; fieldCount < 0 || i < fieldCount; ++i) {
        for (const auto key : { Qt::Key_Return, Qt::Key_Enter }) {
            Opened opened = openDialog(kind, db);
            QDialog* dialog = opened.dialog.get();
            dialog->show();
            QVERIFY(QTest::qWaitForWindowExposed(dialog));
            QTRY_VERIFY_WITH_TIMEOUT(ready(kind, dialog), 20000);
            const QList<QWidget*> fields = fieldsOf(*dialog);
            if (fieldCount < 0) {
                fieldCount = fields.size();
                QVERIFY2(fieldCount >= 4, qPrintable(QString::number(fieldCount)));
            }
            QCOMPARE(fields.size(), fieldCount);
            QWidget* field = fields.at(i);
            dialog->activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(dialog));
            field->setFocus(Qt::TabFocusReason);
            QSignalSpy rejected(dialog, &QDialog::rejected);
            QString modalOpened; // a dialog Enter opened (a file dialog), closed again to say so
            QTimer::singleShot(0, dialog, [&modalOpened, dialog] {
                QWidget* modal = QApplication::activeModalWidget();
                if (modal && modal != dialog) {
                    modalOpened = QString::fromLatin1(modal->metaObject()->className());
                    modal->close();
                }
            });
            QTest::keyClick(field, key);
            const QString name = QString::fromLatin1(field->metaObject()->className()) + u' '
                + (field->objectName().isEmpty() ? QString::number(i) : field->objectName());
            if (key == Qt::Key_Return)
                tried << name;
            QVERIFY2(!opened.running(), qPrintable(u"Enter in %1 of the %2 dialog started it"_s.arg(name, kind)));
            QVERIFY2(modalOpened.isEmpty(),
                qPrintable(u"Enter in %1 of the %2 dialog opened a %3"_s.arg(name, kind, modalOpened)));
            // Enter presses the default button, Close or Cancel, unless the field keeps Enter itself.
            QVERIFY2(rejected.size() == 1 || dialog->isVisible(), qPrintable(name));
            QCOMPARE(dialog->result(), int(QDialog::Rejected));
        }
        QCOMPARE(contents(db), before);
    }
    qInfo().noquote() << kind << "fields tried:" << tried.join(u", "_s);
    QVERIFY(exists(db));
}

void TestSafeDialogs::deleteSaysWhereEachFileGoes_data()
{
    QTest::addColumn<bool>("foldedOnClose");
    QTest::newRow("no connection of this window") << false;
    QTest::newRow("this window's connection the last") << true;
}

// Issue #28: the dialog listed the -wal, -shm and database "546 KiB in all", then said only the
// database reaches the trash. Its totals line now says which files go to the trash and which are
// removed, with their sizes, and changes with the trash box.
void TestSafeDialogs::deleteSaysWhereEachFileGoes()
{
    QFETCH(bool, foldedOnClose);
    QVERIFY(m_dir.renew());
    const QString db = m_dir.filePath(u"cache.db"_s);
    makeCache(db, u"wal"_s, 200);
    writeLeavingWal(db, 300); // a real -wal and -shm, left as a killed writer leaves them
    const qint64 dbBytes = QFileInfo(db).size();
    const qint64 walBytes = QFileInfo(db + u"-wal"_s).size();
    const qint64 shmBytes = QFileInfo(db + u"-shm"_s).size();
    QVERIFY(walBytes > 0 && shmBytes > 0);
    const auto size = [](qint64 bytes) { return Format::bytesNoBreak(bytes); };
    const QString files
        = u"the database (%1), its -wal (%2) and its -shm (%3)"_s.arg(size(dbBytes), size(walBytes), size(shmBytes));
    const QString all = size(dbBytes + walBytes + shmBytes);
    DeleteDialog dialog(db);
    dialog.setFoldedOnClose(foldedOnClose);
    dialog.resize(1000, 708);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.deleteButton()->isEnabled(), 20000);
    QVERIFY(dialog.movesToTrash()); // the default, the test's trash being usable
    QCOMPARE(dialog.listed().size(), 3);
    const QString toTrash = dialog.totalsText();
    if (foldedOnClose) {
        // The database goes to the trash; the -wal and -shm are said apart, with why they are not kept.
        QCOMPARE(toTrash,
            u"Will move the database (%1) to the trash. Its -wal (%2) and its -shm (%3) are removed, not kept: as "
            "CacheScope closes the cache, SQLite copies the -wal's frames into the database (no entry is lost) and "
            "deletes the -wal and -shm itself."_s.arg(size(dbBytes), size(walBytes), size(shmBytes)));
    } else {
        QCOMPARE(toTrash, u"Will move %1 to the trash: %2 in all."_s.arg(files, all));
    }
    // On screen, the -wal and -shm are held together by a non-breaking hyphen (tst_deletedialog).
    const auto shown = [&dialog] { return dialog.statusText().replace(QChar(0x2011), u'-'); };
    QVERIFY2(shown().contains(toTrash.toHtmlEscaped()), qPrintable(shown()));
    QVERIFY(dialog.grab().save(
        screenshotPath(foldedOnClose ? u"delete-dialog-folded-sidecars.png"_s : u"delete-dialog-to-trash.png"_s)));
    auto* trash = dialog.findChild<QCheckBox*>(u"trashCheck"_s);
    QTest::mouseClick(trash, Qt::LeftButton, {}, QPoint(4, trash->height() / 2));
    QVERIFY(!dialog.movesToTrash());
    QCOMPARE(dialog.totalsText(), u"Will delete %1 for good: %2 in all."_s.arg(files, all));
    QVERIFY2(shown().contains(dialog.totalsText().toHtmlEscaped()), qPrintable(shown()));
    QVERIFY(exists(db)); // nothing was removed
}

QTEST_MAIN(TestSafeDialogs)
#include "tst_safedialogs.moc"
