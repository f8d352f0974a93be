// SPDX-License-Identifier: GPL-3.0-or-later
#include "decode/pickleinput.h"

using namespace Qt::Literals::StringLiterals;

namespace PickleDetail {

Result<QByteArray> Input::take(qint64 count, const char* what)
{
    if (!need(count))
        return bad(u"%1 of %2 bytes at byte %3 runs past the end (%4 bytes left)"_s.arg(QLatin1StringView(what))
                       .arg(count)
                       .arg(m_pos)
                       .arg(m_data.size() - m_pos));
    QByteArray out = m_data.mid(m_pos, count);
    m_pos += count;
    return out;
}

Result<quint64> Input::unsignedLE(int size, const char* what)
{
    auto bytes = take(size, what);
    if (!bytes)
        return bytes.error();
    quint64 value = 0;
    for (int i = size - 1; i >= 0; --i)
        value = (value << 8) | quint8(bytes.value()[i]);
    return value;
}

Result<QByteArray> Input::line(const char* what)
{
    const qsizetype end = m_data.indexOf('\n', m_pos);
    if (end < 0)
        return bad(u"%1 at byte %2 has no end of line"_s.arg(QLatin1StringView(what)).arg(m_pos));
    QByteArray out = m_data.mid(m_pos, end - m_pos);
    m_pos = end + 1;
    return out;
}

} // namespace PickleDetail
