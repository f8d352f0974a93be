// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/errorbanner.h"

using namespace Qt::Literals::StringLiterals;

ErrorBanner::ErrorBanner(QWidget* parent)
    : QLabel(parent)
{
    setObjectName(u"errorBanner"_s);
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setStyleSheet(
        u"QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0; border-radius: 4px; padding: 8px; }"_s);
    hide();
}

void ErrorBanner::showMessage(const QString& message)
{
    setText(message);
    show();
}

QString ErrorBanner::message() const
{
    return isHidden() ? QString() : text();
}
