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
#include <QNetworkInterface>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
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
    // rules: the file of alert rules to load, if any.
    PrometheusServer(const QString& folder, const QString& target, const QString& rules = {})
        : m_port(freePort())
    {
        QFile config(folder + u"/prometheus.yml"_s);
        if (config.open(QIODevice::WriteOnly))
            config.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + (rules.isEmpty() ? QByteArray() : "rule_files:\n  - '" + rules.toUtf8() + "'\n")
                + "scrape_configs:\n  - job_name: cachescope\n    static_configs:\n      - targets: ['"
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
    // path → state ("pending", "firing") of the alerts named alertName.
    QHash<QString, QString> alerts(const QString& alertName)
    {
        const QJsonObject answer
            = QJsonDocument::fromJson(httpGet(u"http://127.0.0.1:%1/api/v1/alerts"_s.arg(m_port))).object();
        QHash<QString, QString> states;
        for (const QJsonValue& alert : answer.value(u"data"_s).toObject().value(u"alerts"_s).toArray()) {
            const QJsonObject labels = alert.toObject().value(u"labels"_s).toObject();
            if (labels.value(u"alertname"_s).toString() == alertName)
                states.insert(labels.value(u"path"_s).toString(), alert.toObject().value(u"state"_s).toString());
        }
        return states;
    }

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
    void bindsToLocalhostUnlessTold();
    void documentedAlertRulesOnRealSeries();

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
    // Two python3-diskcache processes write the folder's cache at once.
    PythonChild* disk = m_live.start(WriterScripts::diskcacheCounted, { folder, u"300"_s, go });
    QVERIFY(disk);
    PythonChild* disk2 = m_live.start(WriterScripts::diskcacheCounted, { folder, u"300"_s, go });
    QVERIFY(disk2);
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
    // The entries the writers hold before they start: the 5 rows made here; each diskcache writer's warm-up key.
    QCOMPARE(prometheus.query(u"cachescope_entries"_s).value(db()), 5.0);
    QCOMPARE(prometheus.query(u"cachescope_entries"_s).value(dcDb), 2.0);
    const QHash<QString, double> before = prometheus.query(u"cachescope_commits_total"_s);

    QFile goFile(go);
    QVERIFY(goFile.open(QIODevice::WriteOnly));
    goFile.close();
    QTRY_VERIFY_WITH_TIMEOUT((plain->waitReady(10), committed(plain->output()) >= 0), 180000);
    QTRY_VERIFY_WITH_TIMEOUT((disk->waitReady(10), committed(disk->output()) >= 0), 180000);
    QTRY_VERIFY_WITH_TIMEOUT((disk2->waitReady(10), committed(disk2->output()) >= 0), 180000);
    const qint64 plainCommits = committed(plain->output());
    const qint64 diskCommits = committed(disk->output()) + committed(disk2->output());
    QVERIFY(plainCommits == 400 && diskCommits > 0);
    qInfo("writers committed %lld (sqlite3) and %lld (two diskcache processes); counters before: %.0f and %.0f",
        plainCommits, diskCommits, before.value(db()), before.value(dcDb));
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
    // So do the database files and the -shm files.
    for (const QString& path : { db(), dcDb }) {
        QTRY_COMPARE_WITH_TIMEOUT(
            prometheus.query(u"cachescope_db_bytes"_s).value(path), double(QFileInfo(path).size()), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(
            prometheus.query(u"cachescope_shm_bytes"_s).value(path), double(QFileInfo(path + u"-shm"_s).size()), 30000);
    }
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

void TestCliMetrics::bindsToLocalhostUnlessTold()
{
    // No address (the default, localhost:9860, is this same path), a bare port, or :PORT: 127.0.0.1.
    for (const QString& listen : { u"localhost:0"_s, u"0"_s, u":0"_s }) {
        QProcess process;
        process.start(QStringLiteral(CACHESCOPE_CLI_PATH), { u"metrics"_s, db(), u"--listen"_s, listen });
        QByteArray err;
        static const QRegularExpression serving(u"serving 1 cache at http://([^/]+):(\\d+)/metrics"_s);
        QRegularExpressionMatch match;
        QTRY_VERIFY_WITH_TIMEOUT(
            (err += process.readAllStandardError(), match = serving.match(QString::fromUtf8(err))).hasMatch(), 30000);
        QCOMPARE(match.captured(1), u"127.0.0.1"_s);
        const quint16 port = quint16(match.captured(2).toInt());
        QVERIFY(!httpGet(u"http://127.0.0.1:%1/metrics"_s.arg(port)).isEmpty());
        // Not reachable through any address of this machine other than the loopback.
        for (const QHostAddress& address : QNetworkInterface::allAddresses()) {
            if (address.isLoopback() || address.protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            QTcpSocket socket;
            socket.connectToHost(address, port);
            QVERIFY2(!socket.waitForConnected(5000), qPrintable(address.toString()));
        }
        process.terminate();
        QVERIFY(process.waitForFinished(10000));
    }
    const CliResult help = runCli({ u"metrics"_s, u"--help"_s });
    QVERIFY2(QString::fromUtf8(help.out).simplified().contains(u"(default localhost:9860;"_s), help.out.constData());
}

void TestCliMetrics::documentedAlertRulesOnRealSeries()
{
    // The alert rules of docs/MONITORING.md, as they are, loaded by a real Prometheus scraping
    // `metrics`: a real writer holds one cache's write lock, so CacheWriteLockBusy (for: 2m) is
    // pending for that cache and for no other.
    if (QStandardPaths::findExecutable(u"prometheus"_s).isEmpty())
        QSKIP("prometheus is not installed (Debian package prometheus; setup.sh installs it)");
    QFile doc(QStringLiteral(CACHESCOPE_SOURCE_DIR) + u"/docs/MONITORING.md"_s);
    QVERIFY(doc.open(QIODevice::ReadOnly));
    const QByteArray document = doc.readAll();
    const QByteArray start = "```yaml\n# cachescope-alerts.yml\n";
    const qsizetype from = document.indexOf(start) + 8;
    QVERIFY(from > 8);
    const QString folder = m_live.filePath(u"prometheus"_s);
    QDir().mkpath(folder);
    QFile rules(folder + u"/cachescope-alerts.yml"_s);
    QVERIFY(rules.open(QIODevice::WriteOnly));
    rules.write(document.mid(from, document.indexOf("```", from) - from));
    rules.close();

    const QString idle = m_live.filePath(u"idle.db"_s);
    QVERIFY(m_live.start(R"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode=wal").fetchall()
c.execute("CREATE TABLE t(x)")
print("ready", flush=True)
sys.stdin.read()
)PY",
        { idle }));
    QVERIFY(m_live.start(WriterScripts::holdWriteLock, { db() }));
    const QString idleDb = QFileInfo(idle).absoluteFilePath();
    MetricsProcess metrics({ db(), idle });
    QTRY_VERIFY_WITH_TIMEOUT(metrics.port() > 0, 30000);
    PrometheusServer prometheus(folder, u"127.0.0.1:%1"_s.arg(metrics.port()), rules.fileName());
    QTRY_VERIFY_WITH_TIMEOUT(prometheus.ready(), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(prometheus.alerts(u"CacheWriteLockBusy"_s).value(db()), u"pending"_s, 60000);
    QCOMPARE(prometheus.query(u"cachescope_write_lock_busy_ratio"_s).value(db()), 1.0);
    QVERIFY(prometheus.query(u"cachescope_write_lock_busy_ratio"_s).contains(idleDb));
    QCOMPARE(prometheus.query(u"cachescope_write_lock_busy_ratio"_s).value(idleDb), 0.0);
    QVERIFY(!prometheus.alerts(u"CacheWriteLockBusy"_s).contains(idleDb));
    QVERIFY(prometheus.alerts(u"CacheGone"_s).isEmpty());
    QVERIFY(prometheus.alerts(u"CacheWalTooLarge"_s).isEmpty());
}

QTEST_GUILESS_MAIN(TestCliMetrics)
#include "tst_cli_metrics.moc"
