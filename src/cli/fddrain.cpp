// SPDX-License-Identifier: GPL-3.0-or-later
#include "fddrain.h"

#include <cerrno>

#include <unistd.h>

namespace FdDrain {

bool drain(int fd, QByteArray& into)
{
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            into.append(buffer, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

} // namespace FdDrain
