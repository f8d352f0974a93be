// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope-cli metrics` (issue #27) against Debian's prometheus package, no mock: promtool
// accepts a scrape; a real Prometheus server, started here on a free port of 127.0.0.1 with its own
// config and data folder, scrapes `metrics` for two caches written by real clients (sqlite3 and
// python3-diskcache) and is queried through its HTTP API: every series present for each cache,
// cachescope_wal_bytes equal to the -wal's size, cachescope_commits_total grown by exactly the
// commits the writers report. Also: a bad address or a port in use is exit 1 with the reason.
#include "livecachetest.h"
#include "writerscripts.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
const QStringList Families { u"cachescope_up"_s, u"cachescope_db_bytes"_s, u"cachescope_wal_bytes"_s,
    u"cachescope_shm_bytes"_s, u"cachescope_commits_total"_s, u"cachescope_wal_frames"_s,
    u"cachescope_checkpoint_lag_frames"_s, u"cachescope_checkpoint_pinned_seconds"_s,
    u"cachescope_write_lock_busy_ratio"_s, u"cachescope_readers"_s, u"cachescope_writers"_s, u"cachescope_entries"_s,
    u"cachescope_health_warning"_s };

QByteArray httpGet(const QString& url, int* status = nullptr)
{
    QNetworkAccessManager manager;
    QNetworkReply* reply = manager.get(QNetworkRequest(QUrl(url)));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray body = reply->isFinished() ? reply->readAll() : QByteArray();
    if (status)
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->abort();
    delete reply;
    return body;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

qint64 committed(const QByteArray& output)
{
    for (const QByteArray& line : output.split('\n')) {
        if (line.startsWith("committed "))
            return line.mid(10).trimmed().toLongLong();
    }
    return -1;
}

// A running `cachescope-cli metrics … --listen 127.0.0.1:0`; port() once it serves.
class MetricsProcess {
public:
    explicit MetricsProcess(const QStringList& caches)
    {
        m_process.start(QStringLiteral(CACHESCOPE_CLI_PATH),
            QStringList { u"metrics"_s } + caches
                + QStringList { u"--listen"_s, u"127.0.0.1:0"_s, u"--interval-ms"_s, u"200"_s });
    }
    ~MetricsProcess()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
    int port()
    {
        m_err += m_process.readAllStandardError();
        static const QRegularExpression serving(u"at http://127\\.0\\.0\\.1:(\\d+)/metrics"_s);
        const auto match = serving.match(QString::fromUtf8(m_err));
        return match.hasMatch() ? match.captured(1).toInt() : 0;
    }
    QString url() { return u"http://127.0.0.1:%1/metrics"_s.arg(port()); }
    QByteArray err() const { return m_err; }

private:
    QProcess m_process;
    QByteArray m_err;
};

// The value of series `name` with label path = path in a scrape; nullopt when absent.
std::optional<double> valueIn(const QByteArray& scrape, const QString& name, const QString& path)
{
    const QByteArray prefix = name.toUtf8() + "{path=\"" + path.toUtf8() + "\"";
    for (const QByteArray& line : scrape.split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(line.lastIndexOf(' ') + 1).toDouble();
    }
    return std::nullopt;
}

// A Prometheus server on a free port of 127.0.0.1 with its own config and data folder, scraping
// target every second; killed when the object goes away.
class PrometheusServer {
public:
    PrometheusServer(const QString& folder, const QString& target)
        : m_port(freePort())
    {
        QFile config(folder + u"/prometheus.yml"_s);
        if (config.open(QIODevice::WriteOnly))
            config.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                         "scrape_configs:\n  - job_name: cachescope\n    static_configs:\n      - targets: ['"
                + target.toUtf8() + "']\n");
        config.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(u"prometheus"_s,
            { u"--config.file="_s + config.fileName(), u"--storage.tsdb.path="_s + folder + u"/data"_s,
                u"--web.listen-address=127.0.0.1:%1"_s.arg(m_port), u"--log.level=warn"_s });
    }
    ~PrometheusServer()
    {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
    bool ready()
    {
        int status = 0;
        httpGet(u"http://127.0.0.1:%1/-/ready"_s.arg(m_port), &status);
        return status == 200;
    }
    // path → value of the instant query's series.
    QHash<QString, double> query(const QString& promql)
    {
        QUrlQuery q;
        q.addQueryItem(u"query"_s, promql);
        const QJsonObject answer = QJsonDocument::fromJson(
            httpGet(u"http://127.0.0.1:%1/api/v1/query?"_s.arg(m_port) + q.toString(QUrl::FullyEncoded)))
                                       .object();
        QHash<QString, double> values;
        for (const QJsonValue& series : answer.value(u"data"_s).toObject().value(u"result"_s).toArray()) {
            const QJsonObject object = series.toObject();
            values.insert(object.value(u"metric"_s).toObject().value(u"path"_s).toString(),
                object.value(u"value"_s).toArray().at(1).toString().toDouble());
        }
        return values;
    }
    QByteArray log() { return m_process.readAll(); }

private:
    quint16 m_port;
    QProcess m_process;
};

// One long-lived sqlite3 connection committing one row at a time once go-file exists, printing
// "committed N". No autocheckpoint: the -wal is never reset under the counter, so the count is
// exact by construction (resets are tst_cli_watchexact's subject). argv: path, commits, go-file.
const char* countedWriter = R"PY(
import os, sqlite3, sys, time
path, commits, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(path, isolation_level=None, timeout=30)
c.execute("PRAGMA wal_autocheckpoint=0").fetchall()
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.01)
for i in range(commits):
    c.execute("INSERT INTO entries(key, value) VALUES(?, randomblob(500))", ("m%d" % i,))
print("committed %d" % commits, flush=True)
sys.stdin.read()
)PY";

// argv: folder, fresh entries, expiring entries: python3-diskcache entries, some already expired.
const char* diskcacheWithExpired = R"PY(
import diskcache, sys, time
cache = diskcache.Cache(sys.argv[1])
for i in range(int(sys.argv[2])):
    cache.set("fresh%d" % i, b"x" * 5000)
for i in range(int(sys.argv[3])):
    cache.set("old%d" % i, b"y" * 100, expire=0.05)
time.sleep(0.2)
print("ready", flush=True)
sys.stdin.read()
)PY";
} // namespace

class TestCliMetrics : public LiveCacheTest {
    Q_OBJECT

private Q_SLOTS:
    void promtoolAcceptsAScrape();
    void prometheusScrapesTwoCaches();
    void badAddressOrPortInUse();

private:
    QString db() const { return QFileInfo(m_live.db()).absoluteFilePath(); }
};

void TestCliMetrics::promtoolAcceptsAScrape()
{
    if (QStandardPaths::findExecutable(u"promtool"_s).isEmpty())
        QSKIP("promtool is not installed (Debian package prometheus; setup.sh installs it)");
    QVERIFY(m_live.start(WriterScripts::holdOpen, { db() }));
    QVERIFY(m_live.start(WriterScripts::writeCommits, { db(), u"20"_s, u"1"_s, u"300"_s, u"none"_s }));
    const QString folder = m_live.filePath(u"dc"_s);
    QVERIFY(m_live.start(diskcacheWithExpired, { folder, u"6"_s, u"4"_s }));
    const QString dcDb = QFileInfo(folder + u"/cache.db"_s).absoluteFilePath();
    MetricsProcess metrics({ db(), folder });
    QTRY_VERIFY_WITH_TIMEOUT(metrics.port() > 0, 30000);
    QByteArray scrape;
    const auto everySeries = [&] {
        scrape = httpGet(metrics.url());
        for (const QString& family : Families) {
            if (!valueIn(scrape, family, db()) || !valueIn(scrape, family, dcDb))
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(everySeries(), 60000);
    QVERIFY2(scrape.contains(QByteArray("cachescope_up{path=\"" + db().toUtf8() + "\",format=\"generic\"} 1")),
        scrape.constData());
    QVERIFY(scrape.contains("format=\"diskcache\""));
    QCOMPARE(*valueIn(scrape, u"cachescope_entries"_s, db()), 5 + 20);
    QCOMPARE(*valueIn(scrape, u"cachescope_entries"_s, dcDb), 10);
    QCOMPARE(*valueIn(scrape, u"cachescope_expired_entries"_s, dcDb), 4);
    QVERIFY(!valueIn(scrape, u"cachescope_expired_entries"_s, db())); // no expiry in a plain table
    QVERIFY(*valueIn(scrape, u"cachescope_value_files_bytes"_s, dcDb) >= 0);
    QCOMPARE(*valueIn(scrape, u"cachescope_wal_bytes"_s, db()), double(QFileInfo(db() + u"-wal"_s).size()));

    QProcess promtool;
    promtool.start(u"promtool"_s, { u"check"_s, u"metrics"_s });
    promtool.write(scrape);
    promtool.closeWriteChannel();
    QVERIFY(promtool.waitForFinished(30000));
    const QByteArray said = promtool.readAllStandardOutput() + promtool.readAllStandardError();
    QVERIFY2(promtool.exitCode() == 0, said.constData());

    int status = 0;
    httpGet(metrics.url().replace(u"/metrics"_s, u"/nothing"_s), &status);
    QCOMPARE(status, 404);
}

void TestCliMetrics::prometheusScrapesTwoCaches()
{
    if (QStandardPaths::findExecutable(u"prometheus"_s).isEmpty())
        QSKIP("prometheus is not installed (Debian package prometheus; setup.sh installs it)");
    const QString go = m_live.filePath(u"go"_s);
    PythonChild* plain = m_live.start(countedWriter, { db(), u"400"_s, go });
    QVERIFY(plain);
    const QString folder = m_live.filePath(u"dc"_s);
    PythonChild* disk = m_live.start(WriterScripts::diskcacheCounted, { folder, u"300"_s, go });
    QVERIFY(disk);
    const QString dcDb = QFileInfo(folder + u"/cache.db"_s).absoluteFilePath();
    MetricsProcess metrics({ db(), folder });
    QTRY_VERIFY_WITH_TIMEOUT(metrics.port() > 0, 30000);
    QDir().mkpath(m_live.filePath(u"prometheus"_s));
    PrometheusServer prometheus(m_live.filePath(u"prometheus"_s), u"127.0.0.1:%1"_s.arg(metrics.port()));
    QTRY_VERIFY_WITH_TIMEOUT(prometheus.ready(), 60000);
    // Every series of both caches reaches Prometheus.
    for (const QString& family : Families) {
        QTRY_VERIFY2_WITH_TIMEOUT(prometheus.query(family).contains(db()) && prometheus.query(family).contains(dcDb),
            qPrintable(family + u' ' + QString::fromUtf8(prometheus.log())), 60000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(prometheus.query(u"cachescope_value_files_bytes"_s).contains(dcDb), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(prometheus.query(u"cachescope_expired_entries"_s).contains(dcDb), 30000);
    const QHash<QString, double> before = prometheus.query(u"cachescope_commits_total"_s);

    QFile goFile(go);
    QVERIFY(goFile.open(QIODevice::WriteOnly));
    goFile.close();
    QTRY_VERIFY_WITH_TIMEOUT((plain->waitReady(10), committed(plain->output()) >= 0), 180000);
    QTRY_VERIFY_WITH_TIMEOUT((disk->waitReady(10), committed(disk->output()) >= 0), 180000);
    const qint64 plainCommits = committed(plain->output());
    const qint64 diskCommits = committed(disk->output());
    QVERIFY(plainCommits == 400 && diskCommits > 0);
    qInfo("writers committed %lld (sqlite3) and %lld (diskcache); counters before: %.0f and %.0f", plainCommits,
        diskCommits, before.value(db()), before.value(dcDb));
    // The counter grew by exactly what the writers committed, as Prometheus scraped it.
    QTRY_COMPARE_WITH_TIMEOUT(
        prometheus.query(u"cachescope_commits_total"_s).value(db()) - before.value(db()), double(plainCommits), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(
        prometheus.query(u"cachescope_commits_total"_s).value(dcDb) - before.value(dcDb), double(diskCommits), 30000);
    // The writers keep their connections open and are idle: the -wal sizes hold still.
    QTRY_COMPARE_WITH_TIMEOUT(
        prometheus.query(u"cachescope_wal_bytes"_s).value(db()), double(QFileInfo(db() + u"-wal"_s).size()), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(
        prometheus.query(u"cachescope_wal_bytes"_s).value(dcDb), double(QFileInfo(dcDb + u"-wal"_s).size()), 30000);
    QVERIFY(QFileInfo(db() + u"-wal"_s).size() > 0);
    QCOMPARE(prometheus.query(u"cachescope_up"_s).value(db()), 1.0);
}

void TestCliMetrics::badAddressOrPortInUse()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    const CliResult inUse
        = runCli({ u"metrics"_s, db(), u"--listen"_s, u"127.0.0.1:%1"_s.arg(taken.serverPort()) }, 30000);
    QCOMPARE(inUse.exitCode, 1);
    QVERIFY2(
        inUse.err.contains("cannot listen on 127.0.0.1 port") && inUse.err.contains("in use"), inUse.err.constData());
    const CliResult badAddress = runCli({ u"metrics"_s, db(), u"--listen"_s, u"no.such.host:9860"_s }, 30000);
    QCOMPARE(badAddress.exitCode, 1);
    QVERIFY2(badAddress.err.contains("not an IP address"), badAddress.err.constData());
    const CliResult foreign = runCli({ u"metrics"_s, db(), u"--listen"_s, u"192.0.2.1:9860"_s }, 30000);
    QCOMPARE(foreign.exitCode, 1);
    QVERIFY2(foreign.err.contains("cannot listen on 192.0.2.1"), foreign.err.constData());
    const CliResult badPort = runCli({ u"metrics"_s, db(), u"--listen"_s, u"127.0.0.1:99999"_s }, 30000);
    QCOMPARE(badPort.exitCode, 1);
    QVERIFY2(badPort.err.contains("not a port"), badPort.err.constData());
    const CliResult missing = runCli({ u"metrics"_s, m_live.filePath(u"nothing.db"_s) }, 30000);
    QCOMPARE(missing.exitCode, 1);
}

QTEST_GUILESS_MAIN(TestCliMetrics)
#include "tst_cli_metrics.moc"
