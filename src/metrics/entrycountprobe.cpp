// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/entrycountprobe.h"

#include "common/format.h"
#include "entries/profiles.h"
#include "maintenance/valuefiles.h"
#include "report/cachesummary.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
void printLine(const QJsonObject& object)
{
    std::puts(QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}
} // namespace

EntryCountProbe::EntryCountProbe(const QString& dbPath, QObject* parent)
    : QObject(parent)
    , m_path(dbPath)
{
    m_next.setSingleShot(true);
    connect(&m_next, &QTimer::timeout, this, &EntryCountProbe::start);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &EntryCountProbe::readLines);
    connect(&m_process, &QProcess::finished, this, &EntryCountProbe::finished);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
}

EntryCountProbe::~EntryCountProbe()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

void EntryCountProbe::start()
{
    if (m_process.state() != QProcess::NotRunning)
        return;
    m_pending.clear();
    m_duration.start();
    QStringList args { u"metrics"_s, u"--count-entries"_s, m_path };
    if (Database::defaultReadInPlace()) // metrics --read-in-place: the child reads as its parent was told
        args << u"--read-in-place"_s;
    m_process.start(QCoreApplication::applicationFilePath(), args);
}

void EntryCountProbe::readLines()
{
    m_pending += m_process.readAllStandardOutput();
    for (qsizetype end = m_pending.indexOf('\n'); end >= 0; end = m_pending.indexOf('\n')) {
        const QJsonObject line = QJsonDocument::fromJson(m_pending.left(end)).object();
        m_pending.remove(0, end + 1);
        if (line.contains(u"format"_s)) {
            m_counts.format = line.value(u"format"_s).toString();
            if (!m_formatKnown) {
                m_formatKnown = true;
                Q_EMIT formatKnownChanged();
            }
        }
        if (line.contains(u"entries"_s)) {
            const auto optional = [&line](const QString& key) {
                const QJsonValue v = line.value(key);
                return v.isDouble() ? std::optional<qint64>(v.toInteger()) : std::nullopt;
            };
            m_counts.entries = optional(u"entries"_s);
            m_counts.expiredEntries = optional(u"expired_entries"_s);
            m_counts.valueFilesBytes = optional(u"value_files_bytes"_s);
        }
    }
}

void EntryCountProbe::finished(int exitCode, QProcess::ExitStatus status)
{
    if (status != QProcess::NormalExit || exitCode != 0) {
        // The child said why on stderr (forwarded); the format stays "unknown" until a count works.
        if (!m_formatKnown) {
            m_formatKnown = true;
            Q_EMIT formatKnownChanged();
        }
    }
    m_next.start(int(std::max<qint64>(RefreshMs, DurationFactor * m_duration.elapsed())));
}

int EntryCountProbe::countInChild(const QString& dbPath)
{
    // The format first, from the schema alone (a short connection), so the series can appear at once.
    Database::Options options;
    options.mode = Database::Mode::ReadOnly;
    options.busyTimeoutMs = CacheSummary::BusyTimeoutMs;
    options.switchToWal = false;
    if (auto db = Database::open(dbPath, options)) {
        auto main = Profiles::mainTable(db.value().get());
        auto profiles = Profiles::detect(db.value().get());
        if (main && profiles && !main->isEmpty())
            printLine({ { u"format"_s, profiles->value(main.value(), u"generic"_s) } });
    }
    const std::atomic_bool never { false };
    auto summary = CacheSummary::gather(dbPath, never, true);
    if (!summary) {
        std::fprintf(stderr, "cachescope-cli: metrics: cannot count the entries of %s: %s\n",
            qPrintable(Format::escapeControl(dbPath)), qPrintable(Format::escapeControl(summary.error().message)));
        return 1;
    }
    const CacheContents* contents = summary->contents ? &*summary->contents : nullptr;
    QString format = contents ? contents->profile : QString();
    if (format.isEmpty() && !summary->tables.isEmpty())
        format = summary->tables.first().profile;
    printLine({ { u"format"_s, format.isEmpty() ? u"generic"_s : format } });
    QJsonObject counts { { u"entries"_s, contents ? QJsonValue(contents->entries) : QJsonValue(QJsonValue::Null) },
        { u"expired_entries"_s,
            contents && contents->expiredEntries >= 0 ? QJsonValue(contents->expiredEntries)
                                                      : QJsonValue(QJsonValue::Null) },
        { u"value_files_bytes"_s, QJsonValue(QJsonValue::Null) } };
    if (auto values = ValueFiles::read(dbPath); values && values->isDiskcache)
        counts.insert(u"value_files_bytes"_s, values->presentBytes() + values->orphanBytes());
    printLine(counts);
    return 0;
}
