// SPDX-License-Identifier: GPL-3.0-or-later
// docs/MONITORING.md (issue #27): its scrape config and alert rules are taken out of the document
// as they are and checked by Debian's promtool: `check config`, `check rules`, and `test rules`
// on series that cross each alert's threshold (and stay under it) for the time it names.
#include "testsupport.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// The fenced ```yaml block of docs/MONITORING.md whose first line is `# <name>`.
QByteArray yamlBlock(const QByteArray& document, const QByteArray& name)
{
    const QByteArray start = "```yaml\n# " + name + '\n';
    const qsizetype at = document.indexOf(start);
    if (at < 0)
        return {};
    const qsizetype from = at + 8;
    return document.mid(from, document.indexOf("```", from) - from);
}

// One minute per sample. The WAL grows 300 MB a minute (over 1 GiB from minute 4: firing from
// minute 9); the pin grows 60 s a minute (600 s at minute 10); the write lock is held 90% from
// minute 0 (firing from minute 2) on one cache, 50% on the other; a second cache stays small.
const char* unitTests = R"YAML(
rule_files:
  - cachescope-alerts.yml
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'cachescope_wal_bytes{path="/srv/a/cache.db",format="diskcache"}'
        values: '0+300000000x15'
      - series: 'cachescope_wal_bytes{path="/srv/b/cache.db",format="generic"}'
        values: '4096x15'
      - series: 'cachescope_checkpoint_pinned_seconds{path="/srv/a/cache.db",format="diskcache"}'
        values: '0+60x15'
      - series: 'cachescope_write_lock_busy_ratio{path="/srv/a/cache.db",format="diskcache"}'
        values: '0.9x15'
      - series: 'cachescope_write_lock_busy_ratio{path="/srv/b/cache.db",format="generic"}'
        values: '0.5x15'
      - series: 'cachescope_up{path="/srv/b/cache.db",format="generic"}'
        values: '1x15'
    alert_rule_test:
      - eval_time: 8m
        alertname: CacheWalTooLarge
        exp_alerts: []
      - eval_time: 10m
        alertname: CacheWalTooLarge
        exp_alerts:
          - exp_labels: {severity: warning, path: /srv/a/cache.db, format: diskcache}
            exp_annotations:
              summary: "WAL of /srv/a/cache.db over 1 GiB for 5 minutes"
              description: "The -wal is 2.794GiB. See cachescope_checkpoint_pinned_seconds and cachescope-cli info for who pins it."
      - eval_time: 9m
        alertname: CacheCheckpointPinned
        exp_alerts: []
      - eval_time: 10m
        alertname: CacheCheckpointPinned
        exp_alerts:
          - exp_labels: {severity: warning, path: /srv/a/cache.db, format: diskcache}
            exp_annotations:
              summary: "A reader has pinned the checkpoint of /srv/a/cache.db for 10 minutes"
              description: "Pinned for 10m 0s; cachescope-cli info names the reader."
      - eval_time: 1m
        alertname: CacheWriteLockBusy
        exp_alerts: []
      - eval_time: 3m
        alertname: CacheWriteLockBusy
        exp_alerts:
          - exp_labels: {severity: warning, path: /srv/a/cache.db, format: diskcache}
            exp_annotations:
              summary: "The write lock of /srv/a/cache.db is held over 80% of the time"
              description: "Held 90% of the last 10 s for 2 minutes."
      - eval_time: 10m
        alertname: CacheGone
        exp_alerts: []
)YAML";
} // namespace

class TestMonitoringDoc : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scrapeConfigIsValid();
    void alertRulesAreValidAndFireAsDocumented();

private:
    // Writes text to name in the temporary folder and runs `promtool <args…> <that file>`.
    CliResult promtool(const QStringList& args, const QString& name, const QByteArray& text);
    QByteArray m_document;
    QTemporaryDir m_dir;
};

void TestMonitoringDoc::initTestCase()
{
    if (QStandardPaths::findExecutable(u"promtool"_s).isEmpty())
        QSKIP("promtool is not installed (Debian package prometheus; setup.sh installs it)");
    QFile doc(QStringLiteral(CACHESCOPE_SOURCE_DIR) + u"/docs/MONITORING.md"_s);
    QVERIFY(doc.open(QIODevice::ReadOnly));
    m_document = doc.readAll();
    QVERIFY(m_dir.isValid());
}

CliResult TestMonitoringDoc::promtool(const QStringList& args, const QString& name, const QByteArray& text)
{
    QFile file(m_dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    file.close();
    return runProgram(u"promtool"_s, args + QStringList { file.fileName() });
}

void TestMonitoringDoc::scrapeConfigIsValid()
{
    const QByteArray config = yamlBlock(m_document, "prometheus.yml (part)");
    QVERIFY(config.contains("localhost:9860"));
    const CliResult result = promtool({ u"check"_s, u"config"_s }, u"prometheus.yml"_s, config);
    QVERIFY2(result.exitCode == 0, QByteArray(result.out + result.err).constData());
}

void TestMonitoringDoc::alertRulesAreValidAndFireAsDocumented()
{
    const QByteArray rules = yamlBlock(m_document, "cachescope-alerts.yml");
    QVERIFY(rules.contains("CacheWalTooLarge"));
    const CliResult check = promtool({ u"check"_s, u"rules"_s }, u"cachescope-alerts.yml"_s, rules);
    QVERIFY2(check.exitCode == 0, QByteArray(check.out + check.err).constData());
    QVERIFY2(check.out.contains("SUCCESS: 4 rules found"), check.out.constData());
    const CliResult test = promtool({ u"test"_s, u"rules"_s }, u"cachescope-alerts.test.yml"_s, unitTests);
    QVERIFY2(test.exitCode == 0, QByteArray(test.out + test.err).constData());
}

QTEST_GUILESS_MAIN(TestMonitoringDoc)
#include "tst_monitoring_doc.moc"
