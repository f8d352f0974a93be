// SPDX-License-Identifier: GPL-3.0-or-later
#include "os/processtable.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonObject>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
QByteArray readSmallFile(const QByteArray& path)
{
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    QByteArray data;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || data.size() > 65536)
            break;
        data.append(buffer, n);
    }
    ::close(fd);
    return data;
}

QByteArray procPath(qint64 pid, const char* leaf)
{
    return "/proc/" + QByteArray::number(pid) + '/' + leaf;
}

void addKind(QList<CacheFiles::Kind>& kinds, CacheFiles::Kind kind)
{
    if (!kinds.contains(kind))
        kinds.append(kind);
}

// /proc/PID/fdinfo/N's "flags:" (octal): the access mode the fd was opened with.
bool openForWriting(qint64 pid, const char* fd)
{
    const QByteArray text = readSmallFile("/proc/" + QByteArray::number(pid) + "/fdinfo/" + fd);
    for (const QByteArray& line : text.split('\n')) {
        if (line.startsWith("flags:")) {
            bool ok = false;
            const uint flags = line.mid(6).trimmed().toUInt(&ok, 8);
            return ok && (flags & O_ACCMODE) != O_RDONLY;
        }
    }
    return false;
}

QJsonArray kindsJson(const QList<CacheFiles::Kind>& kinds)
{
    QJsonArray array;
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        if (kinds.contains(CacheFiles::Kind(i)))
            array.append(CacheFiles::kindName(CacheFiles::Kind(i)));
    }
    return array;
}
} // namespace

QJsonObject ProcessTable::Process::toJson() const
{
    QJsonObject object { { u"pid"_s, pid }, { u"name"_s, name }, { u"cmdline"_s, cmdline },
        { u"files"_s, kindsJson(files) } };
    if (!deletedFiles.isEmpty())
        object.insert(u"deleted_files"_s, kindsJson(deletedFiles));
    object.insert(u"writable_files"_s, kindsJson(writableFiles));
    return object;
}

QString ProcessTable::processName(qint64 pid)
{
    return QString::fromUtf8(readSmallFile(procPath(pid, "comm"))).trimmed();
}

QString ProcessTable::processCommandLine(qint64 pid)
{
    QByteArray raw = readSmallFile(procPath(pid, "cmdline"));
    while (raw.endsWith('\0'))
        raw.chop(1);
    raw.replace('\0', ' ');
    return QString::fromUtf8(raw);
}

qint64 ProcessTable::parentOf(qint64 pid)
{
    // "PID (comm) S PPID …": comm may hold spaces and parentheses, so read after the last ')'.
    const QByteArray stat = readSmallFile(procPath(pid, "stat"));
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return 0;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() : 0;
}

QList<qint64> ProcessTable::processIds()
{
    QList<qint64> pids;
    DIR* proc = ::opendir("/proc");
    if (!proc)
        return pids;
    while (const dirent* entry = ::readdir(proc)) {
        bool isPid = false;
        const qint64 pid = QByteArray(entry->d_name).toLongLong(&isPid);
        if (isPid && pid > 0)
            pids << pid;
    }
    ::closedir(proc);
    return pids;
}

QString ProcessTable::OpenFile::linkTarget() const
{
    char link[4096];
    const ssize_t n = ::readlinkat(fdDirectory, fdName, link, sizeof link - 1);
    return n <= 0 ? QString() : QFile::decodeName(QByteArray(link, int(n)));
}

ProcessTable::FdAccess ProcessTable::forEachOpenFile(qint64 pid, const std::function<void(const OpenFile&)>& visit)
{
    DIR* fds = ::opendir(procPath(pid, "fd").constData());
    if (!fds)
        return errno == EACCES || errno == EPERM ? FdAccess::Unreadable : FdAccess::Gone;
    const int dirFd = ::dirfd(fds);
    while (const dirent* entry = ::readdir(fds)) {
        if (entry->d_name[0] == '.')
            continue;
        struct stat st { };
        // stat through the magic link: the target's identity, without opening the file.
        if (::fstatat(dirFd, entry->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode))
            continue;
        visit(OpenFile { quint64(st.st_dev), quint64(st.st_ino), st.st_nlink == 0, dirFd, entry->d_name });
    }
    ::closedir(fds); // a /proc directory stream, not a cache file
    return FdAccess::Read;
}

ProcessTable::OurPaths::OurPaths(const QString& dbPath)
{
    const CacheFiles files(dbPath);
    // /proc's links name the real path: the folder's symbolic links resolved.
    const QString canonicalFolder = QFileInfo(QFileInfo(dbPath).absolutePath()).canonicalFilePath();
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        const QString path = files.path(CacheFiles::Kind(i));
        plain[i] = path;
        canonical[i] = canonicalFolder.isEmpty() ? path : canonicalFolder + u'/' + QFileInfo(path).fileName();
    }
}

bool ProcessTable::OurPaths::names(CacheFiles::Kind kind, const QString& link, const QString& suffix) const
{
    const int i = int(kind);
    return link == plain[i] + suffix || link == canonical[i] + suffix;
}

ProcessTable ProcessTable::scan(const QString& dbPath, const QList<LockTable::Target>& targets)
{
    ProcessTable table;
    const OurPaths ours(dbPath);
    for (qint64 pid : processIds())
        table.scanProcess(pid, ours, targets);
    return table;
}

void ProcessTable::scanProcess(qint64 pid, const OurPaths& ours, const QList<LockTable::Target>& targets)
{
    Process process;
    process.pid = pid;
    process.isSelf = pid == qint64(::getpid());
    const FdAccess access = forEachOpenFile(pid, [&](const OpenFile& file) {
        for (const LockTable::Target& target : targets) {
            if (target.former || file.device != target.device || file.inode != target.inode)
                continue;
            // The db stays; a -journal, -wal or -shm comes and goes many times a second, and ext4
            // gives its inode number to the next new file at once — perhaps another process's, in
            // this folder or anywhere on the file system. Between the stat() that made the target
            // and this scan the number may have changed hands: the link must still name the sidecar.
            if (target.kind != CacheFiles::Kind::Db && !ours.names(target.kind, file.linkTarget()))
                break;
            addKind(process.files, target.kind);
            if (openForWriting(pid, file.fdName))
                addKind(process.writableFiles, target.kind);
            return;
        }
        if (!file.unlinked)
            return;
        // An unlinked file: "<path> (deleted)" names which of ours it was.
        const QString linkPath = file.linkTarget();
        if (linkPath.isEmpty())
            return;
        for (int i = 0; i < CacheFiles::KindCount; ++i) {
            const auto kind = CacheFiles::Kind(i);
            if (ours.names(kind, linkPath, u" (deleted)"_s)) {
                addKind(process.deletedFiles, kind);
                if (openForWriting(pid, file.fdName))
                    addKind(process.deletedWritable, kind);
                m_deletedTargets.append({ kind, file.device, file.inode, true, QString() });
            }
        }
    });
    if (access == FdAccess::Unreadable)
        ++m_unreadable;
    if (access != FdAccess::Read)
        return; // Gone: the process exited mid-scan
    ++m_scanned;
    if (process.files.isEmpty() && process.deletedFiles.isEmpty())
        return;
    process.name = processName(pid);
    process.cmdline = processCommandLine(pid);
    m_processes.append(process);
}

QList<ProcessTable::Process> ProcessTable::others() const
{
    QList<Process> result;
    for (const Process& process : m_processes) {
        if (!process.isSelf)
            result.append(process);
    }
    return result;
}

const ProcessTable::Process* ProcessTable::find(qint64 pid) const
{
    for (const Process& process : m_processes) {
        if (process.pid == pid)
            return &process;
    }
    return nullptr;
}

QJsonArray ProcessTable::toJson(bool includeSelf) const
{
    QJsonArray array;
    for (const Process& process : m_processes) {
        if (includeSelf || !process.isSelf)
            array.append(process.toJson());
    }
    return array;
}
