// SPDX-License-Identifier: GPL-3.0-or-later
// LateClose (#23.9): a descriptor whose close() blocks is closed on a thread of its own, so the
// GUI thread releasing a cache never waits for it (an inotify close waited 5–31 ms there). A close
// that surely blocks: a TCP socket on 127.0.0.1 with unsent data to a peer that never reads, and
// SO_LINGER of 2 s — close() waits the whole linger time. ChangeWatch's inotify fd goes this way
// and is still closed (no fd left behind).
#include "sqlite/changewatch.h"
#include "sqlite/lateclose.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int LingerS = 2;

// How many inotify descriptors this process has open.
int inotifyFds()
{
    int count = 0;
    const QDir fds(u"/proc/self/fd"_s);
    for (const QString& fd : fds.entryList(QDir::Files | QDir::System))
        if (QFile::symLinkTarget(fds.filePath(fd)).contains(u"inotify"_s))
            ++count;
    return count;
}

// A connected TCP socket whose close() waits LingerS seconds: its peer (`peer`, kept open) never reads, and the
// socket's send queue holds data that cannot leave. -1 when the machine gives no loopback TCP.
int blockingCloseSocket(int& listener, int& peer)
{
    listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const int small = 4096;
    (void)::setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &small, sizeof small); // the peer's window stays small
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener, 1) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return -1;
    const int sender = ::socket(AF_INET, SOCK_STREAM, 0);
    (void)::setsockopt(sender, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    if (::connect(sender, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        return -1;
    peer = ::accept(listener, nullptr, nullptr);
    // Fill the peer's receive window and the sender's queue: what is left cannot be sent until the peer reads.
    ::fcntl(sender, F_SETFL, ::fcntl(sender, F_GETFL) | O_NONBLOCK);
    const QByteArray chunk(4096, 'x');
    while (::send(sender, chunk.constData(), size_t(chunk.size()), MSG_NOSIGNAL) > 0) { }
    ::fcntl(sender, F_SETFL, ::fcntl(sender, F_GETFL) & ~O_NONBLOCK);
    const linger wait { 1, LingerS };
    (void)::setsockopt(sender, SOL_SOCKET, SO_LINGER, &wait, sizeof wait);
    return sender;
}
} // namespace

class TestLateClose : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void closeReturnsBeforeABlockingCloseEnds();
    void changeWatchLeavesNoFdBehind();
};

void TestLateClose::closeReturnsBeforeABlockingCloseEnds()
{
    int listener = -1;
    int peer = -1;
    const int sender = blockingCloseSocket(listener, peer);
    QVERIFY2(sender >= 0, "no loopback TCP socket on this machine");

    QElapsedTimer clock;
    clock.start();
    LateClose::close(sender);
    const qint64 returnedAfter = clock.elapsed();
    QVERIFY2(returnedAfter < 500, qPrintable(u"LateClose::close waited %1 ms for the close"_s.arg(returnedAfter)));

    // The close itself ran, and did block: the closer thread was busy with it for about the linger time.
    QVERIFY(LateClose::drain(10000));
    const qint64 closedAfter = clock.elapsed();
    QVERIFY2(closedAfter >= (LingerS * 1000) / 2,
        qPrintable(u"the close took only %1 ms: it did not block, the test proves nothing"_s.arg(closedAfter)));
    QVERIFY(::fcntl(sender, F_GETFD) == -1); // closed
    ::close(peer);
    ::close(listener);
}

void TestLateClose::changeWatchLeavesNoFdBehind()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(LateClose::drain(10000));
    const int before = inotifyFds();
    {
        ChangeWatch watch(dir.filePath(u"cache.db"_s));
        QVERIFY(watch.available());
        QCOMPARE(inotifyFds(), before + 1);
        QFile file(dir.filePath(u"cache.db-wal"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("x");
        file.close();
        QVERIFY(watch.changed());
    }
    QVERIFY(LateClose::drain(10000));
    QCOMPARE(inotifyFds(), before);
}

QTEST_GUILESS_MAIN(TestLateClose)
#include "tst_lateclose.moc"
