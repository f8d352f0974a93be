// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/privatedirs.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace {

// Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses.
qint64 readStartTicks(const QString& statPath)
{
    QFile file(statPath);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = file.readAll();
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    constexpr int StartTimeAfterName = 19; // field 22 is the 20th after "pid (comm)"
    bool ok = false;
    const qint64 ticks = fields.size() > StartTimeAfterName ? fields.at(StartTimeAfterName).toLongLong(&ok) : -1;
    return ok ? ticks : -1;
}

// When the machine booted (seconds since the epoch), or 0 when it cannot be told.
time_t bootTime()
{
    QFile file(u"/proc/stat"_s);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.startsWith("btime "))
            return time_t(line.mid(6).trimmed().toLongLong());
    }
    return 0;
}

// The files CacheScope puts in a folder of this purpose: a private copy or a compacted database
// (read, vacuum), the demo's cache (demo), each with its SQLite sidecars.
bool isOurFile(const QString& purpose, const char* name)
{
    static const QRegularExpression copies(u"^(cache|vacuum)\\.db(-wal|-shm|-journal)?$"_s);
    static const QRegularExpression demo(u"^llm-cache\\.db(-wal|-shm|-journal)?$"_s);
    return (purpose == u"demo"_s ? demo : copies).match(QString::fromLatin1(name)).hasMatch();
}

// Removes a dead owner's folder: only a real folder of this user holding only our files.
bool removeStale(int tmpFd, const QString& purpose, const QByteArray& name)
{
    const int dirFd = ::openat(tmpFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dirFd < 0)
        return false;
    struct stat st { };
    if (::fstat(dirFd, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) {
        ::close(dirFd);
        return false;
    }
    DIR* dir = ::fdopendir(dirFd); // owns dirFd from here
    if (!dir) {
        ::close(dirFd);
        return false;
    }
    QList<QByteArray> files;
    bool onlyOurs = true;
    while (dirent* entry = ::readdir(dir)) {
        if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0)
            continue;
        struct stat file { };
        if (!isOurFile(purpose, entry->d_name)
            || ::fstatat(::dirfd(dir), entry->d_name, &file, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(file.st_mode)) {
            onlyOurs = false;
            break;
        }
        files << QByteArray(entry->d_name);
    }
    if (onlyOurs) {
        for (const QByteArray& file : std::as_const(files))
            ::unlinkat(::dirfd(dir), file.constData(), 0);
    }
    ::closedir(dir);
    return onlyOurs && ::unlinkat(tmpFd, name.constData(), AT_REMOVEDIR) == 0;
}

constexpr int TrackedSlots = 32;
constexpr int TrackedPathBytes = 4096;
struct TrackedSlot {
    std::atomic<bool> used { false };
    char path[TrackedPathBytes] = {};
};
TrackedSlot s_tracked[TrackedSlots];
const char* const s_ourFiles[] = { "cache.db", "cache.db-wal", "cache.db-shm", "cache.db-journal", "vacuum.db",
    "vacuum.db-journal", "vacuum.db-wal", "vacuum.db-shm" };

void onFatalSignal(int signal)
{
    PrivateDirs::removeTrackedNow();
    ::signal(signal, SIG_DFL);
    ::raise(signal);
}

} // namespace

void PrivateDirs::track(const QString& folder)
{
    const QByteArray path = QFile::encodeName(folder);
    if (path.size() + 32 >= TrackedPathBytes)
        return;
    for (TrackedSlot& slot : s_tracked) {
        if (slot.used.load())
            continue;
        std::memcpy(slot.path, path.constData(), size_t(path.size()) + 1);
        bool expected = false;
        if (slot.used.compare_exchange_strong(expected, true))
            return;
    }
}

void PrivateDirs::untrack(const QString& folder)
{
    const QByteArray path = QFile::encodeName(folder);
    for (TrackedSlot& slot : s_tracked) {
        if (slot.used.load() && std::strcmp(slot.path, path.constData()) == 0) {
            slot.used.store(false);
            return;
        }
    }
}

void PrivateDirs::removeTrackedNow()
{
    for (TrackedSlot& slot : s_tracked) {
        if (!slot.used.load())
            continue;
        char file[TrackedPathBytes + 32];
        for (const char* name : s_ourFiles) {
            const size_t length = std::strlen(slot.path);
            std::memcpy(file, slot.path, length);
            file[length] = '/';
            std::memcpy(file + length + 1, name, std::strlen(name) + 1);
            ::unlink(file);
        }
        ::rmdir(slot.path);
        slot.used.store(false);
    }
}

void PrivateDirs::removeOnFatalSignals()
{
    struct sigaction action { };
    action.sa_handler = onFatalSignal;
    sigemptyset(&action.sa_mask);
    for (int signal : { SIGINT, SIGTERM, SIGHUP }) {
        struct sigaction before { };
        if (::sigaction(signal, nullptr, &before) == 0 && before.sa_handler == SIG_IGN)
            continue; // started with it ignored (nohup, a background job): keep it so
        ::sigaction(signal, &action, nullptr);
    }
}

qint64 PrivateDirs::startTicksOf(qint64 pid)
{
    return readStartTicks(u"/proc/%1/stat"_s.arg(pid));
}

bool PrivateDirs::ownerAlive(qint64 pid, qint64 startTicks)
{
    if (pid <= 0)
        return true;
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return false;
    if (startTicks < 0)
        return true; // a name without a start time: a running pid may be the owner
    const qint64 now = startTicksOf(pid);
    return now < 0 || now == startTicks; // unreadable: assume it is the owner
}

QString PrivateDirs::templateFor(const QString& purpose)
{
    static const qint64 start = startTicksOf(::getpid());
    return QDir::tempPath() + u"/cachescope-%1-%2.%3-XXXXXX"_s.arg(purpose).arg(::getpid()).arg(start);
}

int PrivateDirs::sweepStale()
{
    static const QRegularExpression named(u"^cachescope-(read|vacuum|demo)-(\\d+)\\.(\\d+)-[A-Za-z0-9]{6}$"_s);
    // Demo folders made before they carried a start time: cachescope-demo-<pid>-XXXXXX.
    static const QRegularExpression demoPidOnly(u"^cachescope-(demo)-(\\d+)-[A-Za-z0-9]{6}$"_s);
    const QByteArray tmp = QFile::encodeName(QDir::tempPath());
    const int tmpFd = ::open(tmp.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (tmpFd < 0)
        return 0;
    const time_t booted = bootTime();
    QList<std::pair<QString, QByteArray>> stale; // purpose, name
    if (DIR* dir = ::fdopendir(::dup(tmpFd))) {
        while (dirent* entry = ::readdir(dir)) {
            const QString name = QString::fromLatin1(entry->d_name);
            auto match = named.match(name);
            if (!match.hasMatch())
                match = demoPidOnly.match(name);
            if (!match.hasMatch())
                continue;
            struct stat st { };
            if (::fstatat(tmpFd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
                continue;
            const bool beforeBoot = booted > 0 && st.st_mtime < booted;
            const qint64 startTicks = match.lastCapturedIndex() >= 3 ? match.captured(3).toLongLong() : -1;
            if (beforeBoot || !ownerAlive(match.captured(2).toLongLong(), startTicks))
                stale.append({ match.captured(1), QByteArray(entry->d_name) });
        }
        ::closedir(dir);
    }
    int removed = 0;
    for (const auto& [purpose, name] : std::as_const(stale))
        removed += removeStale(tmpFd, purpose, name) ? 1 : 0;
    ::close(tmpFd);
    return removed;
}

void PrivateDirs::sweepStaleOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { sweepStale(); });
}
