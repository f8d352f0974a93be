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
    QString message = warning.message;
    // The advice names the CLI's command; the window has a menu item for it.
    if (warning.code == WarningCode::NotWal)
        message.replace(
            u"cachescope-cli enable-wal"_s, QCoreApplication::translate("HealthList", "Maintenance › Switch to WAL…"));
    QString text = u"<b>%1.</b> %2"_s.arg(WarningCatalog::title(warning.code).toHtmlEscaped(), message.toHtmlEscaped());
    const QString remedy = WarningCatalog::remedy(warning.code);
    if (!remedy.isEmpty())
        text += u"<br><i>%1</i> %2"_s.arg(QCoreApplication::translate("HealthList", "Fix:"), remedy);
    return text;
}
