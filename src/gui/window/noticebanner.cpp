// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/noticebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

using namespace Qt::Literals::StringLiterals;

NoticeBanner::NoticeBanner(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(u"noticeBanner"_s);
    setStyleSheet(u"#noticeBanner { background: #e8f1fb; border: 1px solid #b6d0ee; border-radius: 4px; }"
                  "#noticeBanner QLabel { color: #0b3a66; }"_s);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 6, 6);
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::RichText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_label, 1);
    m_action = new QPushButton(this);
    m_action->setObjectName(u"noticeAction"_s);
    m_action->setAutoDefault(false);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    auto* close = new QToolButton(this);
    close->setObjectName(u"noticeClose"_s);
    close->setText(u"✕"_s);
    close->setAutoRaise(true);
    close->setToolTip(tr("Hide this notice"));
    layout->addWidget(close, 0, Qt::AlignTop);
    connect(m_action, &QPushButton::clicked, this, &NoticeBanner::actionTriggered);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void NoticeBanner::showNotice(const QString& text, const QString& actionText)
{
    m_label->setText(text);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    m_action->setEnabled(true);
    show();
}

void NoticeBanner::setActionEnabled(bool enabled)
{
    m_action->setEnabled(enabled);
}

QString NoticeBanner::text() const
{
    return isHidden() ? QString() : m_label->text();
}
