// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// Human-readable formatting shared by the CLI's text output and the GUI.
namespace Format {
// 1536 -> "1.5 KiB"; below 1 KiB the exact byte count ("512 B").
QString bytes(qint64 bytes);
// Same, but "—" for a file that does not exist (negative size).
QString optionalBytes(qint64 bytes);
} // namespace Format
