// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/healthlist.h"

#include "live/warningcatalog.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

void HealthList::apply(const ActivitySample& sample)
{
    for (const HealthWarning& notice : sample.notices) {
        if (!m_notices.contains(notice))
            m_notices.append(notice); // said once by watch; kept on screen
    }
    m_warnings = sample.warnings;
    m_sampledAt = QTime::currentTime();
}

void HealthList::clear()
{
    m_notices.clear();
    m_warnings.clear();
    m_sampledAt = {};
}

QString HealthList::html(const HealthWarning& warning)
{
    QString text
        = u"<b>%1.</b> %2"_s.arg(WarningCatalog::title(warning.code).toHtmlEscaped(), warning.message.toHtmlEscaped());
    const QString remedy = WarningCatalog::remedy(warning.code);
    if (!remedy.isEmpty())
        text += u"<br><i>%1</i> %2"_s.arg(QCoreApplication::translate("HealthList", "Fix:"), remedy);
    return text;
}
