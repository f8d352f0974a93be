// SPDX-License-Identifier: GPL-3.0-or-later
#include "tasks/cacheopener.h"

#include "common/format.h"
#include "maintenance/cachefolder.h"
#include "os/cachefiles.h"
#include "os/cacheholders.h"
#include "tasks/backgroundtask.h"

#include <QFileInfo>

#include <cerrno>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
// QFuture results must be copyable; the open's outcome travels in a shared box and is moved
// out on the GUI thread.
using Outcome = std::shared_ptr<Result<CacheOpener::Opened>>;

// Why a read-write open of path must not happen (empty when it may): the open would switch the
// cache to WAL, which needs shared memory a network filesystem does not give and a -wal and
// -shm created beside the file.
QString readOnlyReason(const QString& path)
{
    const CacheFiles::Filesystem filesystem = CacheFiles::filesystemOf(path);
    if (filesystem.network)
        return CacheOpener::tr("it is on a network filesystem (%1), where WAL's shared memory is not safe between "
                               "machines")
            .arg(filesystem.type);
    const QString folder = QFileInfo(path).absolutePath();
    if (::access(QFile::encodeName(folder).constData(), W_OK | X_OK) != 0)
        return (errno == EROFS ? CacheOpener::tr("its folder %1 is on a read-only filesystem, so SQLite could not "
                                                 "create the -wal and -shm files WAL needs")
                               : CacheOpener::tr("its folder %1 is not writable by you, so SQLite could not create "
                                                 "the -wal and -shm files WAL needs"))
            .arg(folder);
    if (::access(QFile::encodeName(path).constData(), W_OK) != 0 && errno == EACCES)
        return CacheOpener::tr("the file is not writable by you");
    return {};
}

// One database file opened as the window opens it: read-only instead where a read-write open is
// not safe (readOnlyBecause says why), a lock held by another process named.
Result<std::unique_ptr<Database>> openFile(const QString& path, Database::Options options, QString* readOnlyBecause)
{
    if (options.mode == Database::Mode::ReadWrite) {
        *readOnlyBecause = readOnlyReason(path);
        if (!readOnlyBecause->isEmpty())
            options.mode = Database::Mode::ReadOnly;
    }
    auto database = Database::open(path, options);
    if (!database && database.error().kind == Error::Kind::Locked) {
        // Say who: the processes holding a lock on the cache (from /proc, nothing opened).
        QStringList holders;
        for (const CacheHolders::Process& process : CacheHolders::of(path))
            if (!process.locks.isEmpty())
                holders << process.describe();
        const QString who = holders.isEmpty() ? CacheOpener::tr("no holder could be named (a process of another user?)")
                                              : CacheOpener::tr("held by %1").arg(holders.join(u"; "_s));
        return Error { Error::Kind::Locked,
            CacheOpener::tr("Could not open %1: busy — another process holds it locked (a transaction in progress, "
                            "or a connection in EXCLUSIVE locking mode); %2.")
                .arg(path, who),
            !holders.isEmpty() };
    }
    if (!database) {
        Error error = database.error(); // keeps what the caller branches on (readableInPlace)
        error.message = CacheOpener::tr("Could not open %1: %2").arg(path, error.message);
        return error;
    }
    return std::move(database.value());
}

Result<CacheOpener::Opened> openOnWorker(const QString& given, Database::Options options)
{
    CacheOpener::Opened opened;
    opened.path = given;
    QStringList moreShards;
    QStringList subCaches;
    QStringList subCacheDatabases;
    if (QFileInfo(given).isDir()) {
        auto folder = CacheFolder::resolve(given);
        if (!folder)
            return Error { folder.error().kind,
                CacheOpener::tr("Could not open %1: %2").arg(given, folder.error().message) };
        opened.path = folder->databases.value(0, given);
        if (folder->layout == CacheFolder::Layout::Fanout) {
            opened.folder = given;
            opened.shardLabels = folder->shards;
            moreShards = folder->databases.mid(1);
            subCaches = folder->subCaches;
            subCacheDatabases = folder->subCacheDatabases;
            opened.note = CacheOpener::tr("%1 is a FanoutCache of %2 shards: Entries and the Overview show them all "
                                          "(a column names each entry's shard) and its named sub-caches apart; the "
                                          "status bar, Checkpoint, Vacuum, Prune and Delete take every shard and named "
                                          "sub-cache; Activity watches one at a time, shard %3 (%4) first.")
                              .arg(given, Format::count(folder->shards.size()))
                              .arg(folder->shards.value(0), opened.path);
        }
    }
    auto database = openFile(opened.path, options, &opened.readOnlyBecause);
    if (!database)
        return database.error();
    opened.database = std::move(database.value());
    // The other databases of a FanoutCache: never written where the first shard may not be.
    if (opened.database->isReadOnly())
        options.mode = Database::Mode::ReadOnly;
    for (const QString& shard : std::as_const(moreShards)) {
        QString readOnlyBecause;
        auto more = openFile(shard, options, &readOnlyBecause);
        if (!more)
            return more.error();
        opened.moreShards.push_back(std::move(more.value()));
    }
    // A sub-cache that cannot be opened (locked, damaged) leaves the rest of the cache shown.
    QStringList missing;
    for (qsizetype i = 0; i < subCaches.size(); ++i) {
        QString readOnlyBecause;
        auto sub = openFile(subCacheDatabases.at(i), options, &readOnlyBecause);
        if (sub)
            opened.subCaches.push_back({ subCaches.at(i), std::move(sub.value()) });
        else
            missing << sub.error().message;
    }
    if (!missing.isEmpty())
        opened.note += u' ' + CacheOpener::tr("Not shown: %1").arg(missing.join(u' '));
    return opened;
}
} // namespace

CacheOpener::CacheOpener(QObject* parent)
    : QObject(parent)
{
}

CacheOpener::~CacheOpener()
{
    cancel();
    m_inFlight.waitForFinished();
}

void CacheOpener::open(const QString& given, const Database::Options& options, Done done)
{
    const CancelToken token = m_task.start();
    m_opening = true;
    QFuture<Outcome> future = BackgroundTask::run<Outcome>(
        this, [given, options] { return std::make_shared<Result<Opened>>(openOnWorker(given, options)); },
        [this, token, done = std::move(done)](Outcome outcome) {
            if (!m_task.isCurrent(token))
                return; // superseded: the box goes, and with it the connection
            m_opening = false;
            done(std::move(*outcome));
        });
    m_inFlight = QFuture<void>(future);
}

void CacheOpener::cancel()
{
    m_task.drop();
    m_opening = false;
}
