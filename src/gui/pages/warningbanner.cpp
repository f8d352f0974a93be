// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/warningbanner.h"

#include "live/warningcatalog.h"
#include "models/healthlist.h"

using namespace Qt::Literals::StringLiterals;

WarningBanner::WarningBanner(QWidget* parent)
    : QLabel(parent)
{
    setTextFormat(Qt::RichText);
    setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(this, &QLabel::linkActivated, this, [this](const QString& link) {
        if (link == u"convert-to-wal"_s)
            Q_EMIT convertToWalRequested();
        if (link == u"more"_s || link == u"less"_s) {
            m_expanded = link == u"more"_s;
            showWarnings();
        }
    });
}

void WarningBanner::setWarnings(const HealthWarnings& warnings, bool offerWal)
{
    m_parts.clear();
    m_titles.clear();
    bool walOffered = false;
    for (const HealthWarning& warning : warnings) {
        QString part = HealthList::html(warning);
        QString title = u"<b>%1.</b>"_s.arg(WarningCatalog::title(warning.code).toHtmlEscaped());
        if (WarningCatalog::offersWal(warning.code) && !walOffered && offerWal) {
            const QString link = u" <a href=\"convert-to-wal\">%1</a>"_s.arg(tr("Convert this cache to WAL…"));
            part += link;
            title += link;
            walOffered = true;
        }
        m_parts << part;
        m_titles << title;
    }
    m_whole = m_parts.join(u"<br>"_s);
    showWarnings();
}

void WarningBanner::clearWarnings()
{
    m_expanded = false;
    setWarnings({}, false);
}

void WarningBanner::showWarnings()
{
    const bool several = m_parts.size() > 1;
    const QString text = !several ? m_whole
        : m_expanded
        ? m_whole + u"<br><a href=\"less\">%1</a>"_s.arg(tr("Show less"))
        : m_titles.join(u"<br>"_s) + u"<br><a href=\"more\">%1</a>"_s.arg(tr("Show what each means and how to fix it"));
    setToolTip(several && !m_expanded ? m_whole : QString());
    const bool changed = text != this->text() || isHidden() == m_parts.isEmpty();
    if (text != this->text())
        setText(text);
    setVisible(!m_parts.isEmpty());
    if (changed)
        Q_EMIT this->changed();
}
