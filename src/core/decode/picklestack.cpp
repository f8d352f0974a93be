// SPDX-License-Identifier: GPL-3.0-or-later
#include "decode/picklestack.h"

using namespace Qt::Literals::StringLiterals;

namespace PickleDetail {

Status Stack::push(Result<NodeP> node)
{
    if (!node)
        return node.error();
    m_values << node.value();
    return {};
}

bool Stack::emptyAboveMark() const
{
    const qsizetype floor = m_marks.isEmpty() ? 0 : m_marks.back();
    return m_values.size() <= floor;
}

Result<NodeP> Stack::pop(const char* what)
{
    if (emptyAboveMark())
        return bad(u"%1 at byte %2 on an empty stack"_s.arg(QLatin1StringView(what)).arg(lastByte()));
    return m_values.takeLast();
}

Result<NodeP> Stack::top(const char* what)
{
    if (emptyAboveMark())
        return bad(u"%1 at byte %2 on an empty stack"_s.arg(QLatin1StringView(what)).arg(lastByte()));
    return m_values.back();
}

Result<QList<NodeP>> Stack::popMark(const char* what)
{
    if (m_marks.isEmpty())
        return bad(u"%1 at byte %2 without a MARK"_s.arg(QLatin1StringView(what)).arg(lastByte()));
    const qsizetype mark = m_marks.takeLast();
    QList<NodeP> items = m_values.mid(mark);
    m_values.resize(mark);
    return items;
}

Status Stack::popOne()
{
    if (!m_values.isEmpty() && (m_marks.isEmpty() || m_values.size() > m_marks.back())) {
        m_values.removeLast();
        return {};
    }
    if (!m_marks.isEmpty()) { // POP of a mark
        m_marks.removeLast();
        return {};
    }
    return bad(u"POP at byte %1 on an empty stack"_s.arg(lastByte()));
}

} // namespace PickleDetail
