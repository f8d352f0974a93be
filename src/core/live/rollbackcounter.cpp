// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/rollbackcounter.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

RollbackCounter::~RollbackCounter()
{
    close();
}

void RollbackCounter::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_device = m_inode = 0;
    m_haveCounter = false;
}

bool RollbackCounter::open(const QString& path)
{
    close();
    m_fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (m_fd < 0)
        return false;
    struct stat st { };
    if (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close();
        return false;
    }
    m_device = quint64(st.st_dev);
    m_inode = quint64(st.st_ino);
    m_haveCounter = readHeader(m_counter, m_wal);
    return true;
}

bool RollbackCounter::readHeader(quint32& counter, bool& wal) const
{
    unsigned char header[28];
    ssize_t n;
    do
        n = ::pread(m_fd, header, sizeof header, 0);
    while (n < 0 && errno == EINTR);
    if (n != ssize_t(sizeof header) || std::memcmp(header, "SQLite format 3", 16) != 0)
        return false;
    wal = header[18] == 2 && header[19] == 2;
    counter
        = (quint32(header[24]) << 24) | (quint32(header[25]) << 16) | (quint32(header[26]) << 8) | quint32(header[27]);
    return true;
}

RollbackCounter::Read RollbackCounter::read()
{
    Read read;
    quint32 counter = 0;
    bool wal = false;
    if (m_fd < 0 || !readHeader(counter, wal))
        return read;
    read.wal = wal;
    if (m_haveCounter && !wal && !m_wal) {
        const quint32 delta = counter - m_counter; // u32 arithmetic: a wrap-around counts right
        if (delta < 0x80000000U)
            read.commits = qint64(delta);
        else
            read.wentBack = true; // restored by a rollback: those commits never happened
    }
    m_counter = counter;
    m_wal = wal;
    m_haveCounter = true;
    return read;
}
