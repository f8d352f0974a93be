// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// FdDrain: what a non-blocking pipe holds now, read to the last byte (RemoteRun's relay, serve's
// requests' output).
namespace FdDrain {
// Appends what fd holds now to into; false at end of file (or on a read error).
bool drain(int fd, QByteArray& into);
} // namespace FdDrain
