// SPDX-License-Identifier: GPL-3.0-or-later
#include "callerhangup.h"

#include "remote/remotecommand.h"

#include <cerrno>
#include <csignal>
#include <thread>

#include <poll.h>
#include <pthread.h>
#include <unistd.h>

namespace {
bool handlesTerm()
{
    struct sigaction current { };
    ::sigaction(SIGTERM, nullptr, &current);
    return current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN;
}

// Blocks until stdin ends or stays silent too long (the caller or its connection is gone), then
// stops the main thread as SIGTERM would.
void waitForHangup(pthread_t mainThread)
{
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &stops, nullptr); // delivered to the main thread, never here
    char buffer[512];
    for (;;) {
        pollfd in { STDIN_FILENO, POLLIN, 0 };
        const int ready = ::poll(&in, 1, RemoteCommand::CallerSilenceMs);
        if (ready == 0)
            break; // not even a heartbeat: the connection is gone without having closed
        if (ready < 0)
            continue;
        const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
            break; // end of file: the caller is gone
    }
    // A command sets its handler after parsing its options: wait for it, then stop it once.
    while (!handlesTerm())
        ::usleep(50 * 1000);
    ::pthread_kill(mainThread, SIGTERM);
}
} // namespace

namespace CallerHangup {

void watch()
{
    std::thread(waitForHangup, ::pthread_self()).detach();
}

} // namespace CallerHangup
