// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

// SqlHighlighter: colours SQL in the SQL console as it is typed — keywords, 'strings',
// "quoted identifiers", numbers, -- line and /* block */ comments (a block comment may span
// lines). Only colours: nothing is parsed or run. GUI thread.
class SqlHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit SqlHighlighter(QTextDocument* document);

    // The format given to each kind of token (for tests and the legend).
    enum class Kind { Keyword, String, Identifier, Number, Comment };
    QTextCharFormat format(Kind kind) const;

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_formats[5];
    QRegularExpression m_keywords;
    QRegularExpression m_number;
};
