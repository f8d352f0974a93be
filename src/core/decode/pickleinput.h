// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "decode/picklenode.h"

namespace PickleDetail {

// The bytes of one pickle and the position in them. Every read checks the bytes left first
// and fails with what was read and where.
class Input {
public:
    explicit Input(const QByteArray& bytes)
        : m_data(bytes)
    {
    }
    qsizetype pos() const { return m_pos; }
    qsizetype size() const { return m_data.size(); }
    qsizetype left() const { return m_data.size() - m_pos; }
    bool atEnd() const { return m_pos >= m_data.size(); }
    quint8 next() { return quint8(m_data[m_pos++]); } // callers check atEnd() first
    Result<QByteArray> take(qint64 count, const char* what);
    Result<quint64> unsignedLE(int size, const char* what);
    Result<QByteArray> line(const char* what);

private:
    bool need(qint64 count) const { return count >= 0 && count <= m_data.size() - m_pos; }

    const QByteArray& m_data;
    qsizetype m_pos = 0;
};

} // namespace PickleDetail
