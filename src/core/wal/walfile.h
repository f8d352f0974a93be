// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// WalFile: reads a -wal file (docs/WAL.md §1) through one kept-open
// O_RDONLY|O_NOFOLLOW|O_CLOEXEC fd with pread, never creating, mapping or writing it. It parses
// the 32-byte header, walks the frames checking salts and the cumulative checksum, and counts
// valid and commit frames. update() resumes from the end of the last commit frame it verified
// (frames after it may still be rewritten by the writer's open transaction) and starts over
// when the header's salts or checkpoint sequence change (a WAL reset) or the file shrinks.
// Lock hazard (docs/WAL.md §4.1): closing this fd (on destruction or release()) drops every POSIX lock this
// process holds on the -wal, so only use it in a process without SQLite connections to the cache (the CLI), or keep it
// alive until after those connections close. Not thread-safe; one thread at a time.
class WalFile {
public:
    enum class State {
        Absent, // no -wal file (or it vanished)
        Unreadable, // exists but cannot be opened (permission, symlink, not a regular file)
        Empty, // 0 bytes: no transaction since the last reset/truncate
        TruncatedHeader, // shorter than the 32-byte header
        BadMagic,
        BadVersion,
        BadPageSize,
        BadHeaderChecksum,
        Valid,
    };
    // Why the frame walk stopped.
    enum class Stop { None, EndOfFile, TruncatedFrame, ZeroPageNumber, SaltMismatch, ChecksumMismatch };

    struct Header {
        quint32 magic = 0;
        bool bigEndianChecksum = false; // magic 0x377f0683
        quint32 version = 0;
        quint32 pageSize = 0;
        quint32 checkpointSeq = 0;
        quint32 salt1 = 0;
        quint32 salt2 = 0;
        quint32 checksum1 = 0;
        quint32 checksum2 = 0;
    };

    struct Summary {
        State state = State::Absent;
        QString problem; // plain-language reason when state is not Valid/Empty/Absent
        Header header;
        qint64 fileBytes = 0; // size on disk: a high-water mark, never shrinks on reset
        qint64 validFrames = 0; // frames with matching salts and checksums, committed or not
        qint64 commitFrames = 0; // frames ending a transaction
        qint64 lastCommitFrame = 0; // 1-based index of the last valid commit frame, 0 if none
        Stop stop = Stop::None;
        qint64 resetsSeen = 0; // header changes observed across update() calls
        qint64 bytesRead = 0; // by the last update(): shows resuming works
        quint64 inode = 0; // of the file read last (0: none)
        bool deleted = false; // it was read through an fd whose file had been unlinked meanwhile
        qint64 frameBytes() const { return header.pageSize ? qint64(header.pageSize) + 24 : 0; }
        // Bytes holding committed content: header plus frames up to the last commit.
        qint64 committedBytes() const { return lastCommitFrame ? 32 + lastCommitFrame * frameBytes() : 0; }
    };

    static constexpr quint32 MagicLittleEndian = 0x377f0682;
    static constexpr quint32 MagicBigEndian = 0x377f0683;
    static constexpr quint32 Version = 3007000;

    explicit WalFile(const QString& path);
    ~WalFile();
    WalFile(const WalFile&) = delete;
    WalFile& operator=(const WalFile&) = delete;

    QString path() const { return m_path; }
    // Reads what changed since the last call (everything on the first call).
    const Summary& update();
    const Summary& summary() const { return m_summary; }
    // Closes the fd between updates but keeps the resume point: the next update() reopens and
    // resumes if the path still names the same inode. (So a watcher holds no fd on the -wal
    // between samples and never counts as "having the cache open".)
    void release();

    static QString stateName(State state);
    static QString stopName(Stop stop);
    // SQLite's WAL checksum over data (a multiple of 8 bytes), continuing from s0/s1.
    static void checksum(const unsigned char* data, qint64 size, bool bigEndian, quint32& s0, quint32& s1);

private:
    bool ensureOpen();
    void closeFd();
    bool readHeader(qint64 fileBytes, Header& header);
    void restart(const Header& header);
    void walkFrames(qint64 fileBytes);
    bool checkFrame(const unsigned char* frame, quint32& s0, quint32& s1);
    void setInvalid(State state, const QString& problem);

    QString m_path;
    int m_fd = -1;
    quint64 m_inode = 0;
    quint64 m_releasedInode = 0; // inode of the file we released, to resume on reopen
    Summary m_summary;
    bool m_haveHeader = false;
    Header m_lastHeader;
    // Resume point: just after the last verified commit frame, with the checksum there.
    qint64 m_resumeOffset = 0;
    qint64 m_resumeFrame = 0;
    qint64 m_resumeCommits = 0;
    quint32 m_resumeS0 = 0;
    quint32 m_resumeS1 = 0;
};
