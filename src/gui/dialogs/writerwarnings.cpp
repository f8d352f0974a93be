// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/writerwarnings.h"

#include <QCoreApplication>

#include <utility>

using namespace Qt::Literals::StringLiterals;

WriterWarnings::WriterWarnings(Wording wording, QStringList codes)
    : m_wording(std::move(wording))
    , m_codes(std::move(codes))
{
}

void WriterWarnings::setRead(const HealthWarnings& warnings)
{
    m_read = warnings;
}

bool WriterWarnings::setSample(const ActivitySample& sample)
{
    QList<qint64> pids;
    for (const auto& writer : writersOf(sample))
        pids << writer.pid;
    if (m_sampled && pids == m_writers)
        return false;
    m_sampled = true;
    m_writers = pids;
    return true;
}

HealthWarnings WriterWarnings::warnings() const
{
    if (!m_sampled)
        return m_read;
    HealthWarnings warnings;
    for (const HealthWarning& warning : m_read)
        if (!m_codes.contains(warning.code))
            warnings << warning;
    return warnings + m_wording(m_writers);
}

QString WriterWarnings::html() const
{
    // A sentence each, with its capital and full stop (core words them for the CLI's "warning: …").
    QString html;
    for (const auto& warning : warnings()) {
        QString text = warning.message;
        if (text.isEmpty())
            continue;
        text[0] = text[0].toUpper();
        if (!text.endsWith(u'.'))
            text += u'.';
        html += u"<p style=\"margin-top:0; margin-bottom:6px\">"_s + text.toHtmlEscaped() + u"</p>"_s;
    }
    return html;
}

QList<ActivitySample::Holder> WriterWarnings::writersOf(const ActivitySample& sample)
{
    QList<ActivitySample::Holder> writers;
    const auto note = [&writers](const ActivitySample::Holder& writer) {
        if (writer.pid <= 0 || writer.pid == QCoreApplication::applicationPid())
            return;
        for (const auto& known : std::as_const(writers))
            if (known.pid == writer.pid)
                return;
        writers << writer;
    };
    for (const auto& writer : sample.recentWriters)
        note(writer);
    if (sample.writer) // holds the write lock now
        note(*sample.writer);
    return writers;
}
