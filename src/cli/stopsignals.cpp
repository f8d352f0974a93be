// SPDX-License-Identifier: GPL-3.0-or-later
#include "stopsignals.h"

#include <csignal>
#include <ctime>
#include <pthread.h>

namespace {
std::atomic<int> stopRequests { 0 };
std::atomic<bool> stopRequested { false };

void onStopSignal(int)
{
    stopRequests.fetch_add(1);
    stopRequested.store(true);
}
} // namespace

namespace StopSignals {

void install()
{
    struct sigaction action { };
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; // no SA_RESTART
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    // A simulator worker is started with these blocked (see Simulator): a stop that arrived while
    // it was starting is delivered now, to the handler.
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    ::pthread_sigmask(SIG_UNBLOCK, &stops, nullptr);
}

const std::atomic<int>& requests()
{
    return stopRequests;
}

const std::atomic<bool>& requested()
{
    return stopRequested;
}

void sleepMs(long long ms)
{
    if (ms <= 0 || stopRequested.load())
        return;
    timespec delay { time_t(ms / 1000), long(ms % 1000) * 1000000L };
    // nanosleep returns early (EINTR) when a signal arrives; stop then, else sleep the rest.
    while (::nanosleep(&delay, &delay) != 0 && !stopRequested.load()) { }
}

} // namespace StopSignals
