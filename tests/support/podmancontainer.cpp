// SPDX-License-Identifier: GPL-3.0-or-later
#include "podmancontainer.h"

#include "testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <sys/resource.h>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString Image = u"localhost/cachescope-test-base:1"_s;

QString said(const TestSupport::CliResult& result)
{
    return QString::fromUtf8(result.err + result.out).trimmed().section(u'\n', -3);
}

// An image of the top-level links alone: everything else comes from the mounts.
bool importImage(QString* why)
{
    if (TestSupport::runProgram(u"podman"_s, { u"image"_s, u"exists"_s, Image }, 60000).exitCode == 0)
        return true;
    QTemporaryDir root;
    if (!root.isValid())
        return false;
    for (const char* dir : { "usr", "tmp", "etc", "proc", "sys", "dev", "run" })
        QDir(root.path()).mkdir(QString::fromLatin1(dir));
    for (const char* link : { "bin", "lib", "lib64", "sbin" })
        QFile::link(u"usr/"_s + QString::fromLatin1(link), root.filePath(QString::fromLatin1(link)));
    QFile::setPermissions(root.filePath(u"tmp"_s), QFileDevice::Permissions(0x7777));
    const QString tarball = root.path() + u".tar"_s;
    const auto tar = TestSupport::runProgram(u"tar"_s, { u"-C"_s, root.path(), u"-cf"_s, tarball, u"."_s });
    const auto imported = TestSupport::runProgram(u"podman"_s, { u"import"_s, tarball, Image }, 120000);
    QFile::remove(tarball);
    if (tar.exitCode != 0 || imported.exitCode != 0) {
        *why = u"podman import: "_s + said(imported);
        return false;
    }
    return true;
}
} // namespace

bool PodmanContainer::start(const QString& sharedFolder)
{
    if (QStandardPaths::findExecutable(u"podman"_s).isEmpty()) {
        m_reason = u"podman is not installed"_s;
        return false;
    }
    if (!importImage(&m_reason))
        return false;
    const QString build = QFileInfo(QStringLiteral(CACHESCOPE_CLI_PATH)).absolutePath();
    QStringList run { u"run"_s, u"--rm"_s, u"-d"_s };
    for (const QString& folder : { u"/usr"_s, build })
        run << u"-v"_s << folder + u':' + folder + u":ro"_s;
    run << u"-v"_s << sharedFolder + u':' + sharedFolder;
    for (const char* name : { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" }) {
        if (qEnvironmentVariableIsSet(name))
            run << u"-e"_s << QString::fromLatin1(name) + u'=' + qEnvironmentVariable(name);
    }
    // The limits podman sets by default are higher than a sandbox may grant (setrlimit EPERM):
    // the second try asks for no more than this process has.
    rlimit files {}, processes {};
    ::getrlimit(RLIMIT_NOFILE, &files);
    ::getrlimit(RLIMIT_NPROC, &processes);
    const QStringList ownLimits { u"--ulimit"_s, u"nofile=%1:%1"_s.arg(std::min<rlim_t>(files.rlim_cur, 4096)),
        u"--ulimit"_s, u"nproc=%1:%1"_s.arg(std::min<rlim_t>(processes.rlim_cur, 4096)) };
    m_name = u"cachescope-test-%1"_s.arg(QCoreApplication::applicationPid());
    QStringList tried;
    for (const QString& runtime : { u"default"_s, u"runc"_s }) {
        QStringList args = run;
        if (runtime == u"runc"_s) {
            const QString runc = QStandardPaths::findExecutable(u"runc"_s, { u"/usr/sbin"_s, u"/usr/bin"_s });
            if (runc.isEmpty()) {
                tried << u"runc: not installed"_s;
                continue;
            }
            args = QStringList { u"--runtime"_s, runc } + args + ownLimits;
        }
        args << u"--name"_s << m_name << Image << u"/usr/bin/sleep"_s << u"900"_s;
        const auto started = TestSupport::runProgram(u"podman"_s, args, 120000);
        if (started.exitCode == 0) {
            m_runtime = runtime;
            return true;
        }
        tried << runtime + u": "_s + said(started);
        TestSupport::runProgram(u"podman"_s, { u"rm"_s, u"-f"_s, m_name }, 60000);
    }
    m_reason = u"podman cannot run a container here ("_s + tried.join(u"; "_s) + u')';
    m_name.clear();
    return false;
}

QStringList PodmanContainer::execArguments(const QStringList& args) const
{
    return QStringList { u"exec"_s, u"-i"_s, m_name } + args;
}

void PodmanContainer::stop()
{
    if (m_name.isEmpty())
        return;
    TestSupport::runProgram(u"podman"_s, { u"rm"_s, u"-f"_s, u"-t"_s, u"0"_s, m_name }, 60000);
    m_name.clear();
}
