// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/sampler.h"

#include <QFile>
#include <QFileInfo>

#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int MaxFormerTargets = 16;
}

Sampler::Sampler(const QString& dbPath)
    : m_path(QFileInfo(dbPath).absoluteFilePath())
    , m_files(m_path)
    , m_index(m_files.path(CacheFiles::Kind::Shm))
    , m_walFile(m_files.path(CacheFiles::Kind::Wal))
{
}

Sampler::~Sampler() = default;

qint64 Sampler::nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

QString Sampler::readJournalMode()
{
    // Opened for the read and closed again: harmless in this process (it holds no SQLite
    // connection, see the class comment), and it keeps no fd on the db between samples.
    const int fd = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return {};
    struct stat st { };
    unsigned char header[20];
    const bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)
        && ::pread(fd, header, sizeof header, 0) == ssize_t(sizeof header)
        && std::memcmp(header, "SQLite format 3", 16) == 0;
    ::close(fd);
    if (!ok)
        return {};
    return header[18] == 2 && header[19] == 2 ? u"wal"_s : u"rollback"_s;
}

Snapshot Sampler::sample(const Options& options)
{
    Snapshot s;
    s.takenAtMs = nowMs();
    s.path = m_path;
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        s.files[i] = m_files.stat(CacheFiles::Kind(i));
    s.filesystem = CacheFiles::filesystemOf(m_path);
    s.journalMode = readJournalMode();
    if (auto header = m_index.read())
        s.walIndex = header.value();
    else
        s.walIndexProblem = header.error().message;
    if (options.readWalFrames) {
        s.walFile = m_walFile.update();
        m_walFile.release();
    } else {
        s.walFile = m_walFile.summary();
    }
    rememberFormerFiles(s);
    QList<LockTable::Target> targets = LockTable::targetsOf(s.files) + m_formerTargets;
    if (options.scanProcesses) {
        s.processes = ProcessTable::scan(m_path, targets);
        s.processesScanned = true;
        targets += s.processes.deletedTargets();
    }
    if (auto locks = LockTable::collect(targets, options.excludePid))
        s.locks = locks.value();
    else
        s.locksProblem = locks.error().message;
    trackResets(s);
    s.derive(previous());
    m_previous = s;
    return s;
}

void Sampler::rememberFormerFiles(const Snapshot& now)
{
    const Snapshot* before = previous();
    if (!before)
        return;
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        const CacheFiles::FileInfo& old = before->files[i];
        const CacheFiles::FileInfo& cur = now.files[i];
        if (!old.exists || (cur.exists && cur.inode == old.inode && cur.device == old.device))
            continue;
        m_formerTargets.append({ CacheFiles::Kind(i), quint64(old.device), quint64(old.inode), true });
    }
    while (m_formerTargets.size() > MaxFormerTargets)
        m_formerTargets.removeFirst();
}

void Sampler::trackResets(Snapshot& now)
{
    const Snapshot* before = previous();
    if (before && before->walIndex && now.walIndex
        && (now.walIndex->salt1 != before->walIndex->salt1
            || now.walIndex->committedFrame < before->walIndex->committedFrame))
        ++m_resets;
    now.resetsSeen = std::max(m_resets, now.walFile.resetsSeen);
}
