// SPDX-License-Identifier: GPL-3.0-or-later
// The hostile-input corpus (issue #12): tests/hostile/make_hostile.py makes every hostile file
// and live situation fresh, with the answer each must get; this runs the real CLI on each and
// checks the exit code, the words of the message, and that the db and every sidecar are
// byte-identical afterwards (sha256) with no file created or removed.
#include "scratchdir.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
const QString script = QStringLiteral(CACHESCOPE_SOURCE_DIR "/tests/hostile/make_hostile.py");

// Every entry of the case's directory tree by name, type and content hash; FIFOs and devices
// are never opened, symbolic links are described by their target.
QStringList fingerprint(const QString& dir)
{
    QStringList lines;
    QDir root(dir);
    const auto entries = root.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System | QDir::Hidden);
    for (const QFileInfo& info : entries) {
        struct stat st { };
        ::lstat(QFile::encodeName(info.filePath()).constData(), &st);
        QString line = info.fileName() + u' ';
        if (S_ISLNK(st.st_mode))
            line += u"link to "_s + info.symLinkTarget();
        else if (S_ISDIR(st.st_mode))
            line += u"dir ["_s + fingerprint(info.filePath()).join(u"; "_s) + u']';
        else if (S_ISREG(st.st_mode))
            line += QString::fromLatin1(
                QCryptographicHash::hash(fileBytes(info.filePath()), QCryptographicHash::Sha256).toHex());
        else
            line += u"special %1"_s.arg(st.st_mode & S_IFMT, 0, 8);
        lines << line;
    }
    return lines;
}
} // namespace

class TestHostile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void corpus_data();
    void corpus();

private:
    ScratchDir m_dir;
    QJsonArray m_cases;
    bool m_nobodyCanRun = false;
};

void TestHostile::initTestCase()
{
    QVERIFY(m_dir.renew());
    const auto made = runPythonFile(script, { u"make"_s, m_dir.path() });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    m_cases = QJsonDocument::fromJson(made.out).array();
    QVERIFY(m_cases.size() > 30);
    // The corpus is read by user nobody in the permission cases (QTemporaryDir makes it 0700).
    QVERIFY(QFile::setPermissions(
        m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther));
    if (::geteuid() == 0) {
        const auto probe = runProgram(u"/usr/bin/setpriv"_s,
            { u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s, QStringLiteral(CACHESCOPE_CLI_PATH),
                u"--version"_s });
        m_nobodyCanRun = probe.exitCode == 0;
    }
}

void TestHostile::cleanupTestCase()
{
    // The permission cases: make their directories removable again.
    for (const QString& dir :
        { u"read-only-dir"_s, u"read-only-dir-in-place"_s, u"unsearchable-dir/locked"_s, u"unwritable-dir"_s }) {
        if (QFileInfo::exists(m_dir.filePath(dir)) || QDir(m_dir.path()).exists(dir))
            QFile::setPermissions(m_dir.filePath(dir), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    QFile::setPermissions(m_dir.filePath(u"unreadable-db/c.db"_s), QFile::ReadOwner | QFile::WriteOwner);
}

void TestHostile::corpus_data()
{
    QTest::addColumn<QJsonObject>("testCase");
    for (const QJsonValue& value : std::as_const(m_cases)) {
        const QJsonObject object = value.toObject();
        QTest::addRow("#%d %s", object[u"item"_s].toInt(), qPrintable(object[u"name"_s].toString())) << object;
    }
}

void TestHostile::corpus()
{
    QFETCH(QJsonObject, testCase);
    QStringList args;
    for (const QJsonValue& arg : testCase[u"args"_s].toArray())
        args << arg.toString();
    const QString caseName = testCase[u"name"_s].toString();
    const QString caseDir = testCase[u"dir"_s].toString();
    QVERIFY2(!caseDir.isEmpty(), qPrintable(caseName));
    const QString dir = m_dir.filePath(caseDir);
    std::unique_ptr<PythonChild> holder;
    if (!testCase[u"holder"_s].isNull()) {
        // Runs the generator's "hold" mode from its file (a short command line in `info`'s output).
        const QString bootstrap
            = u"import runpy, sys\nsys.argv = [%1] + sys.argv[1:]\nrunpy.run_path(%1, run_name='__main__')\n"_s.arg(
                u"'"_s + script + u"'"_s);
        holder = std::make_unique<PythonChild>(bootstrap,
            QStringList {
                u"hold"_s, testCase[u"holder"_s].toString(), QDir(dir).filePath(testCase[u"db"_s].toString()) });
        QVERIFY(holder->waitReady());
    }
    const QStringList before = fingerprint(dir);
    QProcess cli;
    cli.setWorkingDirectory(dir);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QJsonObject env = testCase[u"env"_s].toObject();
    for (auto it = env.begin(); it != env.end(); ++it)
        environment.insert(it.key(), it.value().toString());
    cli.setProcessEnvironment(environment);
    if (testCase[u"as_nobody"_s].toBool() && ::geteuid() == 0) {
        // Root passes every permission check: the case runs as nobody, the way a user meets it.
        if (!m_nobodyCanRun)
            QSKIP("user nobody cannot run the CLI from this build directory (a parent directory is not "
                  "searchable by others); the permission cases need it");
        cli.start(u"/usr/bin/setpriv"_s,
            QStringList {
                u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s, QStringLiteral(CACHESCOPE_CLI_PATH) }
                + args);
    } else {
        cli.start(QStringLiteral(CACHESCOPE_CLI_PATH), args);
    }
    QVERIFY(cli.waitForFinished(60000));
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    const QString shown = u"exit %1\nstdout: %2\nstderr: %3"_s.arg(cli.exitCode()).arg(out.left(2000), err.left(2000));
    QVERIFY2(cli.exitStatus() == QProcess::NormalExit, qPrintable(shown));
    QVERIFY2(cli.exitCode() == testCase[u"exit"_s].toInt(), qPrintable(shown));
    for (const QJsonValue& words : testCase[u"stderr"_s].toArray())
        QVERIFY2(err.contains(words.toString()), qPrintable(u"stderr lacks \"%1\"\n"_s.arg(words.toString()) + shown));
    for (const QJsonValue& words : testCase[u"stdout"_s].toArray())
        QVERIFY2(out.contains(words.toString()), qPrintable(u"stdout lacks \"%1\"\n"_s.arg(words.toString()) + shown));
    for (const QJsonValue& words : testCase[u"absent"_s].toArray())
        QVERIFY2(!out.contains(words.toString()) && !err.contains(words.toString()),
            qPrintable(u"output has \"%1\"\n"_s.arg(words.toString()) + shown));
    if (testCase[u"unchanged"_s].toBool())
        QCOMPARE(fingerprint(dir), before);
    // "written": the only entries that may differ or appear (each must exist afterwards), e.g. the
    // -shm a read in place creates; everything else byte-identical.
    const QJsonArray written = testCase[u"written"_s].toArray();
    if (!written.isEmpty()) {
        QStringList names;
        for (const QJsonValue& name : written)
            names << name.toString() + u' ';
        const auto others = [&names](const QStringList& lines) {
            QStringList kept;
            for (const QString& line : lines)
                if (std::none_of(
                        names.cbegin(), names.cend(), [&line](const QString& n) { return line.startsWith(n); }))
                    kept << line;
            return kept;
        };
        const QStringList after = fingerprint(dir);
        QCOMPARE(others(after), others(before));
        for (const QString& name : std::as_const(names))
            QVERIFY2(
                std::any_of(after.cbegin(), after.cend(), [&name](const QString& l) { return l.startsWith(name); }),
                qPrintable(name + u"was not written"_s));
    }
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
