// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer entry points for every parser of untrusted bytes (issue #12), one executable per
// parser, chosen by the FUZZ_* definition tests/fuzz/CMakeLists.txt gives it. Built only with
// -DCACHESCOPE_LIBFUZZER=ON and clang (cmake --preset fuzz); docs/CONTRIBUTING.md says how
// to run them. The deterministic loops of tests/core/tst_fuzz.cpp cover the same parsers in
// every test run.
#include "decode/pickle.h"
#include "entries/entrycursor.h"
#include "entries/entrypager.h"
#include "os/locktable.h"
#include "os/processio.h"
#include "sqlite/databaseheader.h"
#include "wal/walindex.h"

#include <QFile>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#if defined(FUZZ_WAL_FILE)
#include "wal/walfile.h"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
#if defined(FUZZ_DATABASE_HEADER)
    (void)DatabaseHeader::parse(bytes);
#elif defined(FUZZ_WAL_INDEX)
    (void)WalIndex::parse(bytes);
#elif defined(FUZZ_PROC_LOCKS)
    const QList<LockTable::Target> targets { { CacheFiles::Kind::Shm, 0x802, 1319478, false } };
    (void)LockTable::match(LockTable::parse(bytes), targets);
#elif defined(FUZZ_PROCESS_IO)
    (void)ProcessIo::parse(bytes);
#elif defined(FUZZ_CURSOR)
    for (int keySize = 1; keySize <= 3; ++keySize) {
        const auto key = EntryCursor::decode(QString::fromLatin1(bytes), keySize);
        if (key && EntryCursor::decode(EntryCursor::encode(*key), keySize) != key)
            std::abort(); // a cursor must round-trip exactly
    }
#elif defined(FUZZ_PICKLE)
    (void)Pickle::decode(bytes);
#elif defined(FUZZ_WAL_FILE)
    static QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fuzz.db-wal"));
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        file.write(bytes);
        file.close();
        WalFile wal(path);
        (void)wal.update();
    }
#else
#error "define one FUZZ_* target"
#endif
    return 0;
}
