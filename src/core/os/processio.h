// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QtGlobal>

// ProcessIo: one reading of /proc/PID/io — the I/O a process has done so far, counted by the
// kernel (docs/WAL.md, "Naming writers"). SQLite writes -wal frames with pwrite(), so a process
// that commits raises wchar and syscw, even when each write takes well under a millisecond and
// no lock sample ever catches it. Readable for the user's own processes only (the kernel's
// ptrace read check); others fail with PermissionDenied. A plain value; any thread.
struct ProcessIo {
    quint64 rchar = 0; // bytes read by read()-like calls
    quint64 wchar = 0; // bytes written by write()-like calls (pwrite included)
    quint64 syscr = 0; // read()-like calls
    quint64 syscw = 0; // write()-like calls
    quint64 readBytes = 0; // bytes that reached the block layer
    quint64 writeBytes = 0;

    // Reads /proc/PID/io now (one open/read/close of a /proc file, never a cache file).
    static Result<ProcessIo> read(qint64 pid);
    // Parses the text of a /proc/PID/io file; Corrupt when wchar or syscw is missing.
    static Result<ProcessIo> parse(const QByteArray& text);
};
