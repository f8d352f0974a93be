// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/quitonsignal.h"

#include "common/privatedirs.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int s_fds[2] = { -1, -1 };
const int s_signals[] = { SIGINT, SIGTERM, SIGHUP };

constexpr unsigned GraceSeconds = 5;
volatile sig_atomic_t s_stopSignal = 0;

void onSignal(int signal)
{
    const char byte = char(signal);
    [[maybe_unused]] const auto written = ::write(s_fds[0], &byte, 1);
    if (s_stopSignal == 0) {
        s_stopSignal = signal;
        ::alarm(GraceSeconds); // honoured even if the GUI thread is stuck: see onGraceOver
    }
}

// The normal shutdown did not end the process in time (the GUI thread is busy): remove our
// private copies and end now. The cache is only read (or SQLite's crash safety covers a write
// in progress, as for a kill); the watch child dies with us (PR_SET_PDEATHSIG).
void onGraceOver(int)
{
    PrivateDirs::removeTrackedNow();
    ::_exit(128 + int(s_stopSignal));
}
} // namespace

QuitOnSignal::QuitOnSignal(QObject* parent)
    : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, s_fds) != 0)
        return;
    m_notifier = new QSocketNotifier(s_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        if (::read(s_fds[1], &byte, 1) == 1)
            m_received = byte;
        QCoreApplication::quit();
    });
    struct sigaction action { };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int signal : s_signals)
        ::sigaction(signal, &action, nullptr);
    struct sigaction grace { };
    grace.sa_handler = onGraceOver;
    sigemptyset(&grace.sa_mask);
    ::sigaction(SIGALRM, &grace, nullptr);
}

QuitOnSignal::~QuitOnSignal()
{
    for (int signal : s_signals)
        ::signal(signal, SIG_DFL);
    // The grace alarm stays armed through the rest of the shutdown (main() returns after this).
    delete m_notifier;
    ::close(s_fds[0]);
    ::close(s_fds[1]);
    s_fds[0] = s_fds[1] = -1;
}
