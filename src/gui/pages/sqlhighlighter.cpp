// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/sqlhighlighter.h"

#include <QStringList>

using namespace Qt::Literals::StringLiterals;

namespace {
enum BlockState { Normal = 0, InBlockComment = 1 };

const QStringList& keywords()
{
    static const QStringList words { u"SELECT"_s, u"FROM"_s, u"WHERE"_s, u"AND"_s, u"OR"_s, u"NOT"_s, u"NULL"_s,
        u"IS"_s, u"IN"_s, u"LIKE"_s, u"GLOB"_s, u"BETWEEN"_s, u"AS"_s, u"ON"_s, u"JOIN"_s, u"LEFT"_s, u"INNER"_s,
        u"OUTER"_s, u"CROSS"_s, u"GROUP"_s, u"BY"_s, u"ORDER"_s, u"ASC"_s, u"DESC"_s, u"LIMIT"_s, u"OFFSET"_s,
        u"HAVING"_s, u"DISTINCT"_s, u"UNION"_s, u"ALL"_s, u"EXCEPT"_s, u"INTERSECT"_s, u"WITH"_s, u"RECURSIVE"_s,
        u"CASE"_s, u"WHEN"_s, u"THEN"_s, u"ELSE"_s, u"END"_s, u"EXISTS"_s, u"CAST"_s, u"PRAGMA"_s, u"EXPLAIN"_s,
        u"QUERY"_s, u"PLAN"_s, u"VALUES"_s, u"INSERT"_s, u"UPDATE"_s, u"DELETE"_s, u"INTO"_s, u"SET"_s, u"CREATE"_s,
        u"DROP"_s, u"TABLE"_s, u"INDEX"_s, u"VIEW"_s, u"COLLATE"_s, u"ESCAPE"_s, u"TRUE"_s, u"FALSE"_s };
    return words;
}
} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
    , m_keywords(u"\\b(%1)\\b"_s.arg(keywords().join(u'|')), QRegularExpression::CaseInsensitiveOption)
    , m_number(u"\\b\\d+(\\.\\d+)?([eE][-+]?\\d+)?\\b|\\b0[xX][0-9a-fA-F]+\\b"_s)
{
    m_formats[int(Kind::Keyword)].setForeground(QColor(0x1f, 0x4e, 0xa8));
    m_formats[int(Kind::Keyword)].setFontWeight(QFont::Bold);
    m_formats[int(Kind::String)].setForeground(QColor(0x2e, 0x7d, 0x32));
    m_formats[int(Kind::Identifier)].setForeground(QColor(0x8e, 0x24, 0xaa));
    m_formats[int(Kind::Number)].setForeground(QColor(0xb2, 0x54, 0x00));
    m_formats[int(Kind::Comment)].setForeground(QColor(0x75, 0x75, 0x75));
    m_formats[int(Kind::Comment)].setFontItalic(true);
}

QTextCharFormat SqlHighlighter::format(Kind kind) const
{
    return m_formats[int(kind)];
}

void SqlHighlighter::highlightBlock(const QString& text)
{
    // Words and numbers first; strings, identifiers and comments then cover what they contain.
    for (auto it = m_keywords.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        setFormat(int(match.capturedStart()), int(match.capturedLength()), m_formats[int(Kind::Keyword)]);
    }
    for (auto it = m_number.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        setFormat(int(match.capturedStart()), int(match.capturedLength()), m_formats[int(Kind::Number)]);
    }
    qsizetype i = 0;
    if (previousBlockState() == InBlockComment) {
        const qsizetype end = text.indexOf(u"*/"_s);
        const qsizetype stop = end < 0 ? text.size() : end + 2;
        setFormat(0, int(stop), m_formats[int(Kind::Comment)]);
        if (end < 0) {
            setCurrentBlockState(InBlockComment);
            return;
        }
        i = stop;
    }
    setCurrentBlockState(Normal);
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (c == u'\'' || c == u'"' || c == u'`' || c == u'[') {
            const QChar close = c == u'[' ? u']' : c;
            qsizetype end = i + 1;
            while (end < text.size()) {
                if (text.at(end) == close) {
                    if (close != u']' && end + 1 < text.size() && text.at(end + 1) == close) {
                        end += 2; // a doubled quote inside
                        continue;
                    }
                    break;
                }
                ++end;
            }
            const qsizetype stop = std::min(text.size(), end + 1);
            setFormat(int(i), int(stop - i), m_formats[int(c == u'\'' ? Kind::String : Kind::Identifier)]);
            i = stop;
        } else if (c == u'-' && i + 1 < text.size() && text.at(i + 1) == u'-') {
            setFormat(int(i), int(text.size() - i), m_formats[int(Kind::Comment)]);
            return;
        } else if (c == u'/' && i + 1 < text.size() && text.at(i + 1) == u'*') {
            const qsizetype end = text.indexOf(u"*/"_s, i + 2);
            const qsizetype stop = end < 0 ? text.size() : end + 2;
            setFormat(int(i), int(stop - i), m_formats[int(Kind::Comment)]);
            if (end < 0) {
                setCurrentBlockState(InBlockComment);
                return;
            }
            i = stop;
        } else {
            ++i;
        }
    }
}
