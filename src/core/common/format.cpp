// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/format.h"

using namespace Qt::Literals::StringLiterals;

namespace Format {

QString bytes(qint64 bytes)
{
    if (bytes < 1024)
        return QString::number(bytes) + u" B"_s;
    static const char* const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    return QString::number(value, 'f', value < 10 ? 1 : 0) + u' ' + QLatin1String(units[unit]);
}

QString optionalBytes(qint64 bytes)
{
    return bytes < 0 ? QStringLiteral("—") : Format::bytes(bytes);
}

} // namespace Format
