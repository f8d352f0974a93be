// SPDX-License-Identifier: GPL-3.0-or-later
#include "simulation/simulatorworker.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <sqlite3.h>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
bool isLockError(int rc)
{
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

// One connection plus the prepared INSERT, finalized and closed on every path.
class Connection {
public:
    ~Connection()
    {
        sqlite3_finalize(m_insert);
        sqlite3_close_v2(m_db);
    }

    Status open(const SimulatorWorker::Settings& settings)
    {
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW;
        if (sqlite3_open_v2(settings.dbPath.toUtf8().constData(), &m_db, flags, nullptr) != SQLITE_OK)
            return failure(u"cannot open"_s);
        sqlite3_busy_timeout(m_db, settings.busyTimeoutMs);
        const QString mode = settings.journal == u"wal"_s ? u"WAL"_s : u"DELETE"_s;
        for (const QString& sql : { QString(u"PRAGMA journal_mode="_s + mode), u"PRAGMA synchronous=NORMAL"_s }) {
            if (execSetup(sql) != SQLITE_OK)
                return failure(sql);
        }
        return {};
    }

    int exec(const QString& sql) { return sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, nullptr); }

    // One entry, one transaction. Returns the SQLite result code of the first failure.
    int write(const QString& prompt, const QString& model, const QString& response)
    {
        int rc = exec(u"BEGIN"_s);
        if (rc == SQLITE_OK)
            rc = insert(prompt, model, response);
        if (rc == SQLITE_OK)
            rc = exec(u"COMMIT"_s);
        if (rc != SQLITE_OK) {
            m_lastError = QString::fromUtf8(sqlite3_errmsg(m_db));
            if (!sqlite3_get_autocommit(m_db))
                exec(u"ROLLBACK"_s);
        }
        return rc;
    }

    QString lastError() const { return m_lastError; }

private:
    // Connection setup is not what the simulation measures: with a busy timeout of 0 a
    // setup statement that meets a lock is retried for up to 10 s instead of failing.
    int execSetup(const QString& sql)
    {
        int rc = exec(sql);
        for (int attempt = 0; isLockError(rc) && attempt < 10000; ++attempt) {
            ::usleep(1000);
            rc = exec(sql);
        }
        return rc;
    }

    int insert(const QString& prompt, const QString& model, const QString& response)
    {
        // Prepared at the first entry, like the seed's first execute(): reading the schema
        // can meet a lock, and that failure is the entry's.
        if (!m_insert) {
            const QByteArray sql = "INSERT OR REPLACE INTO llm_cache(key, model, prompt, response, created, pid) "
                                   "VALUES (?, ?, ?, ?, ?, ?)";
            if (int rc = sqlite3_prepare_v2(m_db, sql.constData(), -1, &m_insert, nullptr); rc != SQLITE_OK)
                return rc;
        }
        const QByteArray key = QCryptographicHash::hash(prompt.toUtf8(), QCryptographicHash::Sha256).toHex();
        const QByteArray texts[] = { key, model.toUtf8(), prompt.toUtf8(), response.toUtf8() };
        for (int i = 0; i < 4; ++i)
            sqlite3_bind_text(m_insert, i + 1, texts[i].constData(), int(texts[i].size()), SQLITE_TRANSIENT);
        sqlite3_bind_double(m_insert, 5, double(QDateTime::currentMSecsSinceEpoch()) / 1000.0);
        sqlite3_bind_int64(m_insert, 6, ::getpid());
        const int rc = sqlite3_step(m_insert);
        sqlite3_reset(m_insert);
        return rc == SQLITE_DONE ? SQLITE_OK : rc;
    }

    Error failure(const QString& what) const
    {
        const QString reason = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : u"out of memory"_s;
        return Error { Error::Kind::Io, u"simulator worker: %1: %2"_s.arg(what, reason) };
    }

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_insert = nullptr;
    QString m_lastError;
};

} // namespace

QJsonObject SimulatorWorker::Counts::toJson() const
{
    QJsonObject object { { u"pid"_s, pid }, { u"stored"_s, stored }, { u"errors"_s, errors },
        { u"busy_errors"_s, busyErrors }, { u"stopped"_s, stopped }, { u"reported"_s, reported } };
    object.insert(u"last_error"_s, lastError.isEmpty() ? QJsonValue() : QJsonValue(lastError));
    object.insert(u"killed"_s, killedBySignal != 0);
    object.insert(u"signal"_s, killedBySignal ? QJsonValue(killedBySignal) : QJsonValue());
    return object;
}

SimulatorWorker::Counts SimulatorWorker::Counts::fromJson(const QJsonObject& object)
{
    Counts counts;
    counts.pid = object.value(u"pid"_s).toInteger();
    counts.stored = object.value(u"stored"_s).toInteger();
    counts.errors = object.value(u"errors"_s).toInteger();
    counts.busyErrors = object.value(u"busy_errors"_s).toInteger();
    counts.lastError = object.value(u"last_error"_s).toString();
    counts.stopped = object.value(u"stopped"_s).toBool();
    return counts;
}

SimulatorWorker::SimulatorWorker(Settings settings)
    : m_settings(std::move(settings))
{
}

QString SimulatorWorker::schemaSql()
{
    return u"CREATE TABLE IF NOT EXISTS llm_cache(key TEXT PRIMARY KEY, model TEXT NOT NULL, "
           "prompt TEXT NOT NULL, response TEXT NOT NULL, created REAL NOT NULL, pid INTEGER NOT NULL)"_s;
}

QString SimulatorWorker::prompt(const Settings& settings, qint64 sequence)
{
    return u"Summarise the findings of report %1 (worker %2, run %3) in three bullet points."_s.arg(sequence)
        .arg(settings.index)
        .arg(settings.runId);
}

QString SimulatorWorker::model(qint64 sequence)
{
    static const QString models[] = { u"gpt-4o-mini"_s, u"claude-3-5-haiku"_s, u"llama-3.1-8b-instruct"_s };
    return models[sequence % 3];
}

QString SimulatorWorker::response(const QString& prompt, const QString& model, int payloadBytes)
{
    QJsonObject message { { u"role"_s, u"assistant"_s }, { u"content"_s, QString() } };
    QJsonObject object { { u"model"_s, model }, { u"prompt_tokens"_s, prompt.size() / 4 },
        { u"choices"_s, QJsonArray {} } };
    const int overhead = int(QJsonDocument(object).toJson(QJsonDocument::Compact).size()) + 60;
    static const QString words = u"The cache keeps the answer so the model is not paid for twice. "_s;
    QString content;
    const int wanted = std::max(0, payloadBytes - overhead);
    content.reserve(wanted);
    while (content.size() < wanted)
        content += words;
    content.truncate(wanted);
    message.insert(u"content"_s, content);
    object.insert(u"choices"_s, QJsonArray { QJsonObject { { u"index"_s, 0 }, { u"message"_s, message } } });
    object.insert(u"completion_tokens"_s, wanted / 4);
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

bool SimulatorWorker::shouldStop(const std::atomic<bool>& stop, qint64 elapsedMs) const
{
    if (stop.load())
        return true;
    if (m_settings.parentPid != 0 && ::getppid() != m_settings.parentPid)
        return true; // orphaned: PR_SET_PDEATHSIG may have raced with the parent's death
    return m_settings.durationMs > 0 && elapsedMs >= m_settings.durationMs;
}

void SimulatorWorker::waitForTurn(const std::atomic<bool>& stop, qint64 sequence, qint64 elapsedMs) const
{
    if (m_settings.ratePerSecond <= 0)
        return;
    const qint64 dueMs = qint64(double(sequence) * 1000.0 / m_settings.ratePerSecond);
    // Sleep in short slices so a stop or the deadline is noticed promptly.
    for (qint64 left = dueMs - elapsedMs; left > 0 && !stop.load(); left -= 50)
        QThread::msleep(std::min<qint64>(left, 50));
}

Result<SimulatorWorker::Counts> SimulatorWorker::run(const std::atomic<bool>& stop)
{
    Counts counts;
    counts.pid = ::getpid();
    Connection connection;
    if (Status opened = connection.open(m_settings); !opened)
        return opened.error();
    QElapsedTimer clock;
    clock.start();
    for (qint64 sequence = 0; m_settings.entries < 0 || sequence < m_settings.entries; ++sequence) {
        waitForTurn(stop, sequence, clock.elapsed());
        if (shouldStop(stop, clock.elapsed())) {
            counts.stopped = m_settings.durationMs <= 0 || clock.elapsed() < m_settings.durationMs;
            break;
        }
        const QString text = prompt(m_settings, sequence);
        const QString name = model(sequence);
        const int rc = connection.write(text, name, response(text, name, m_settings.payloadBytes));
        if (rc == SQLITE_OK) {
            ++counts.stored;
            continue;
        }
        ++counts.errors;
        if (isLockError(rc))
            ++counts.busyErrors;
        counts.lastError = connection.lastError();
    }
    return counts;
}
