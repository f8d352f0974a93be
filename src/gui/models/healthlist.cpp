// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/healthlist.h"

#include "live/warningcatalog.h"

#include <QCoreApplication>
#include <QDateTime>

using namespace Qt::Literals::StringLiterals;

void HealthList::apply(const ActivitySample& sample)
{
    for (const HealthWarning& notice : sample.notices) {
        if (!m_notices.contains(notice))
            m_notices.append(notice); // said once by watch; kept on screen
    }
    m_warnings = sample.warnings;
    m_sampledAt = sample.readAtMs > 0 ? QDateTime::fromMSecsSinceEpoch(sample.readAtMs).time() : QTime::currentTime();
}

void HealthList::clear()
{
    m_notices.clear();
    m_warnings.clear();
    m_sampledAt = {};
}

QString HealthList::sampledAtText() const
{
    // To the tenth of a second: samples come ten a second, and two panels of the same second can
    // show two samples (17 commits on one, 19 on the other).
    return sampleTimeText(m_sampledAt);
}

QString HealthList::sampleTimeText(const QTime& time)
{
    return time.isValid() ? time.toString(u"HH:mm:ss"_s) + u'.' + QString::number(time.msec() / 100) : QString();
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
