// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/deletewords.h"

#include "common/format.h"

#include <QObject>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {

// The order the dialog says and lists the files in: the database, then its -wal, -shm and -journal, then the
// value files (SafeDelete removes them the other way round: sidecars first).
const QStringList KindOrder { u"db"_s, u"wal"_s, u"shm"_s, u"journal"_s, u"value"_s };

QString kindInWords(const SafeDelete::KindTotal& total)
{
    const QString size = Format::bytesNoBreak(total.bytes);
    if (total.kind == u"db"_s)
        return total.count == 1 ? QObject::tr("the database (%1)").arg(size)
                                : QObject::tr("%1 databases (%2)").arg(Format::count(total.count), size);
    if (total.kind == u"value"_s)
        return total.count == 1 ? QObject::tr("1 value file (%1)").arg(size)
                                : QObject::tr("%1 value files (%2)").arg(Format::count(total.count), size);
    return total.count == 1 ? QObject::tr("its -%1 (%2)").arg(total.kind, size)
                            : QObject::tr("%1 -%2 files (%3)").arg(Format::count(total.count), total.kind, size);
}

// The files of these kinds in words, in this order, and their bytes: "the database (1.2 MiB),
// its -wal (4.0 MiB) and 93 value files (7.7 MiB)"; empty when there are none.
struct Listed {
    QString words;
    qint64 bytes = 0;
    int kinds = 0;
};
Listed listedInWords(const QList<SafeDelete::KindTotal>& totals, const QStringList& kinds)
{
    QStringList parts;
    Listed listed;
    for (const QString& kind : kinds) {
        for (const auto& total : totals) {
            if (total.kind == kind) {
                parts << kindInWords(total);
                listed.bytes += total.bytes;
            }
        }
    }
    listed.kinds = int(parts.size());
    if (parts.isEmpty())
        return listed;
    const QString last = parts.takeLast();
    listed.words = parts.isEmpty() ? last : QObject::tr("%1 and %2").arg(parts.join(u", "_s), last);
    return listed;
}

} // namespace

// Words as a label shows them: a hyphen that begins a word ("-wal", "-shm", "-wal's", "-journal") becomes U+2011
// NON-BREAKING HYPHEN, which DejaVu and the other desktop fonts draw as "-": a wrapped label broke "-wal's" after
// its hyphen ("the -" | "wal's frames"). Only for the screen: the words the dialog gives out keep the plain "-".
QString DeleteWords::unbrokenSuffixes(QString text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] == u'-' && text[i + 1].isLetter() && (i == 0 || !text[i - 1].isLetterOrNumber()))
            text[i] = QChar(0x2011);
    }
    return text;
}

// Where every listed file goes, with its size: "Will move the database (1.2 MiB) and 93 value files (7.7 MiB) to
// the trash: 8.9 MiB in all." or "Will delete … for good". When SQLite removes the -wal and -shm itself as this
// window's connection closes (foldedOnClose), they are said apart, with why they are not kept.
QString DeleteWords::totalsInWords(const QList<SafeDelete::KindTotal>& totals, bool trash, bool foldedOnClose)
{
    const Listed all = listedInWords(totals, KindOrder);
    if (all.words.isEmpty())
        return {};
    if (!trash)
        return QObject::tr("Will delete %1 for good: %2 in all.").arg(all.words, Format::bytesNoBreak(all.bytes));
    const Listed folded = foldedOnClose ? listedInWords(totals, { u"wal"_s, u"shm"_s }) : Listed();
    if (folded.words.isEmpty())
        return QObject::tr("Will move %1 to the trash: %2 in all.").arg(all.words, Format::bytesNoBreak(all.bytes));
    const Listed kept = listedInWords(totals, { u"db"_s, u"journal"_s, u"value"_s });
    QString gone = folded.words;
    gone[0] = gone[0].toUpper();
    return QObject::tr("Will move %1 to the trash.").arg(kept.words) + u' '
        + (folded.kinds == 1 ? QObject::tr("%1 is removed, not kept: as CacheScope closes the cache, SQLite copies "
                                           "the -wal's frames into the database (no entry is lost) and deletes the "
                                           "-wal and -shm itself.")
                             : QObject::tr("%1 are removed, not kept: as CacheScope closes the cache, SQLite copies "
                                           "the -wal's frames into the database (no entry is lost) and deletes the "
                                           "-wal and -shm itself."))
              .arg(gone);
}

// What happens to the listed files, said above them as the totals line says it below.
QString DeleteWords::filesLabelInWords(const QList<SafeDelete::KindTotal>& totals, bool trash, bool foldedOnClose)
{
    if (!trash)
        return QObject::tr("These files will be deleted for good, and nothing else:");
    if (foldedOnClose && listedInWords(totals, { u"wal"_s, u"shm"_s }).kinds > 0)
        return QObject::tr("These files will go, and nothing else: the -wal and -shm are removed, the rest is moved to "
                           "the trash (see below):");
    return QObject::tr("These files will be moved to the trash, and nothing else:");
}

// The database first, then its -wal, -shm and -journal, in KindOrder; a FanoutCache's databases one after another,
// each with its own. `files` holds no value file.
QList<SafeDelete::File> DeleteWords::inListOrder(QList<SafeDelete::File> files)
{
    const auto databaseOf = [](const SafeDelete::File& file) {
        return file.kind == u"db"_s ? file.path : file.path.chopped(file.kind.size() + 1); // "…/cache.db-wal"
    };
    QStringList databases;
    for (const auto& file : files) {
        if (!databases.contains(databaseOf(file)))
            databases << databaseOf(file);
    }
    std::stable_sort(files.begin(), files.end(), [&](const SafeDelete::File& a, const SafeDelete::File& b) {
        return std::pair(databases.indexOf(databaseOf(a)), KindOrder.indexOf(a.kind))
            < std::pair(databases.indexOf(databaseOf(b)), KindOrder.indexOf(b.kind));
    });
    return files;
}

QString DeleteWords::holderDoing(const CacheHolders::Process& holder)
{
    const QStringList& locks = holder.locks;
    const auto holds = [&locks](const QStringList& names) {
        return std::any_of(names.begin(), names.end(), [&locks](const QString& name) { return locks.contains(name); });
    };
    const bool walConnection = locks.contains(u"dms"_s); // every WAL connection holds it for its whole life
    QStringList doing;
    if (holds({ u"write"_s, u"db_reserved"_s, u"db_pending"_s }))
        doing << QObject::tr("writing");
    // A read mark in the -shm; in a rollback journal mode the database's shared lock is a read. A writer holds a read
    // mark too (its transaction reads): "writing" says it.
    if (doing.isEmpty()
        && (holds({ u"read0"_s, u"read1"_s, u"read2"_s, u"read3"_s, u"read4"_s })
            || (!walConnection && locks.contains(u"db_shared"_s))))
        doing << QObject::tr("reading");
    if (locks.contains(u"checkpoint"_s))
        doing << QObject::tr("checkpointing");
    if (locks.contains(u"recover"_s))
        doing << QObject::tr("rebuilding the -shm index");
    if (!doing.isEmpty())
        return doing.join(u", "_s);
    if (walConnection || locks.contains(u"db_shared"_s))
        return QObject::tr("connected, idle");
    return locks.isEmpty() ? QObject::tr("files open, no lock") : QObject::tr("a lock of another program");
}

QString DeleteWords::holderLocksTip(const CacheHolders::Process& holder)
{
    return holder.locks.isEmpty() ? QString() : QObject::tr("SQLite's locks: %1").arg(holder.locks.join(u", "_s));
}
