// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/opennotice.h"

#include "sqlite/database.h"
#include "window/noticebanner.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

OpenNotice::OpenNotice(NoticeBanner* banner, QObject* parent)
    : QObject(parent)
    , m_banner(banner)
{
    connect(m_banner, &NoticeBanner::actionTriggered, this, [this] {
        if (!m_backTo.isEmpty())
            Q_EMIT switchBackRequested(QString(m_backTo)); // a copy: the switch clears m_backTo
    });
}

void OpenNotice::clear()
{
    m_backTo.clear();
    m_withdrawnBy.clear();
    m_banner->hide();
}

void OpenNotice::showOpened(const Database& database, const QString& readOnlyBecause)
{
    clear();
    if (!readOnlyBecause.isEmpty()) {
        m_banner->showNotice(tr("Opened <b>read-only</b>: %1. Nothing in it was changed; it was not switched to WAL.")
                                 .arg(readOnlyBecause.toHtmlEscaped()));
    } else if (database.convertedToWal()) {
        m_backTo = database.previousJournalMode();
        m_banner->showNotice(convertedText(), tr("Switch back to %1").arg(m_backTo.toUpper()));
    }
}

QString OpenNotice::convertedText() const
{
    const QString before = m_backTo.toUpper();
    QString text = tr("<b>Switched to WAL</b> journal mode when opened (it was in %1 mode). CacheScope opens "
                      "caches in WAL so that it can read while your processes write, without blocking "
                      "them: in %1 mode a writer blocks every reader. Processes that open it from now on "
                      "use WAL too.")
                       .arg(before);
    if (!m_withdrawnBy.isEmpty())
        text += tr(" %1 has opened it since, in WAL mode: switching back to %2 is no longer offered (it needs "
                   "the cache alone).")
                    .arg(m_withdrawnBy.toHtmlEscaped(), before);
    return text;
}

void OpenNotice::applySample(const ActivitySample& sample)
{
    if (m_backTo.isEmpty() || !m_withdrawnBy.isEmpty() || !sample.processes)
        return;
    const qint64 self = QCoreApplication::applicationPid();
    for (const ActivitySample::Process& process : *sample.processes) {
        if (process.pid == self)
            continue; // our own connection
        QString what = process.cmdline.isEmpty() ? process.name : process.cmdline.simplified();
        if (what.size() > MaxCommandChars) // a script passed with -c: its start says enough
            what = what.left(MaxCommandChars - 1) + u'…';
        m_withdrawnBy = what.isEmpty() ? tr("PID %1").arg(process.pid) : tr("PID %1 (%2)").arg(process.pid).arg(what);
        const QString text = convertedText();
        m_backTo.clear();
        if (!m_banner->isHidden()) // hidden by the user: it stays so
            m_banner->showNotice(text);
        return;
    }
}

void OpenNotice::showSwitched(const Result<QString>& switched, const QString& mode, const QString& modeNow)
{
    clear();
    if (!switched)
        m_banner->showNotice(
            tr("Still in %1 journal mode: %2.").arg(modeNow.toUpper(), switched.error().message.toHtmlEscaped()));
    else if (mode == u"wal"_s)
        m_banner->showNotice(
            tr("<b>Switched to WAL</b> journal mode: readers and the writer no longer block each other."));
    else
        m_banner->showNotice(tr("<b>Switched back to %1</b> journal mode. Opened read-only so that it stays that way; "
                                "<b>Maintenance › Switch to WAL…</b> switches it again.")
                                 .arg(mode.toUpper()));
}
