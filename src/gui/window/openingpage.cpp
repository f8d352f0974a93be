// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/openingpage.h"

#include "common/format.h"

using namespace Qt::Literals::StringLiterals;

OpeningPage::OpeningPage(QWidget* parent)
    : QLabel(parent)
{
    setObjectName(u"openingState"_s);
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    // Its path may be 4,000 bytes without a space: never let it widen the window.
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

void OpeningPage::showOpening(const QString& path)
{
    setText(tr("<h2>Opening…</h2><p>%1</p>").arg(Format::shortName(path).toHtmlEscaped()));
}

void OpeningPage::showWaiting(const QString& path)
{
    setText(tr("<h2>Waiting for the cache…</h2><p>%1</p><p>Another process holds it; "
               "see the reason above.</p>")
                .arg(Format::shortName(path).toHtmlEscaped()));
}

void OpeningPage::showSwitching(const QString& mode, const QString& path)
{
    setText(tr("<h2>Switching to %1…</h2><p>%2</p>").arg(mode.toUpper(), Format::shortName(path).toHtmlEscaped()));
}
