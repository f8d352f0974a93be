// SPDX-License-Identifier: GPL-3.0-or-later
// cachescope: the CacheScope GUI. Arguments are parsed before any QApplication exists so that
// --help and --version work without a display.
#include "common/privatedirs.h"
#include "tasks/backgroundtask.h"
#include "window/firstframe.h"
#include "window/mainwindow.h"
#include "window/quitonsignal.h"
#include "window/remotewindow.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {
void describe(QCommandLineParser& parser)
{
    parser.setApplicationDescription(
        u"Inspect a live SQLite cache written by several processes: journal mode, WAL and sidecar sizes, entries."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({ u"read-only"_s, u"Open without changing anything (no switch to WAL)."_s });
    parser.addOption({ u"demo"_s,
        u"Create a temporary cache and start 4 simulated writer processes on it, to see live activity."_s });
    parser.addOption({ u"remote-cli"_s,
        u"For a remote cache: the cachescope-cli to run there (default: cachescope-cli on its PATH)."_s, u"path"_s });
    parser.addPositionalArgument(u"DB"_s,
        u"The SQLite cache to open: a file, a cache folder, or a cache on another host or in a container "
        "(ssh://[USER@]HOST[:PORT]/PATH, docker://CONTAINER/PATH, podman://CONTAINER/PATH)."_s,
        u"[DB]"_s);
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(u"CacheScope"_s);
    QCoreApplication::setApplicationName(u"cachescope"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CACHESCOPE_VERSION));
}
} // namespace

int main(int argc, char** argv)
{
    {
        // A QCoreApplication needs no display: it answers --help, --version and bad options.
        QCoreApplication probe(argc, argv);
        setIdentity();
        QCommandLineParser parser;
        describe(parser);
        parser.process(probe); // exits for --help, --version and unknown options
        if (parser.positionalArguments().size() > 1) {
            std::fputs("cachescope: give at most one database\n", stderr);
            return 2;
        }
        if (const QString first = parser.positionalArguments().value(0); CacheAddress::isRemoteText(first)) {
            if (const auto address = CacheAddress::parse(first); !address) {
                std::fprintf(stderr, "cachescope: %s\n", address.error().message.toLocal8Bit().constData());
                return 2;
            }
        }
        if (parser.isSet(u"demo"_s) && !parser.positionalArguments().isEmpty()) {
            std::fputs("cachescope: --demo creates its own cache; give no database with it\n", stderr);
            return 2;
        }
    }
    QApplication app(argc, argv);
    setIdentity();
    QApplication::setDesktopFileName(QStringLiteral(CACHESCOPE_APP_ID));
    QCommandLineParser parser;
    describe(parser);
    parser.process(app);

    QuitOnSignal quitOnSignal; // Ctrl-C or kill: close cleanly so the demo leaves nothing behind
    PrivateDirs::sweepStaleOnce(); // demo folders and private copies left by runs killed before (SIGKILL, a crash)
    if (const QString first = parser.positionalArguments().value(0); CacheAddress::isRemoteText(first)) {
        // A remote cache: its own window, nothing opened here (docs/CLI.md, "Remote caches").
        RemoteWindow::open(CacheAddress::parse(first).value(), parser.value(u"remote-cli"_s));
        return QApplication::exec();
    }
    // Reads the window does not wait for when it goes (one still running in EntryReader, a stopped
    // index build) end before the application does: declared before the window, this goes after it.
    struct WaitForBackgroundTasks {
        ~WaitForBackgroundTasks() { BackgroundTask::pool()->waitForDone(); }
    } waitForBackgroundTasks;
    MainWindow window;
    if (parser.isSet(u"demo"_s)) {
        window.show();
        if (Status started = window.startDemo(); !started) {
            std::fprintf(stderr, "cachescope: --demo: %s\n", started.error().message.toLocal8Bit().constData());
            return 1;
        }
    } else if (!parser.positionalArguments().isEmpty()) {
        // A small cache appears with its rows in the window's first frame (FirstFrame::GraceMs at most).
        FirstFrame::openAndShow(window, parser.positionalArguments().first(),
            parser.isSet(u"read-only"_s) ? Database::Mode::ReadOnly : Database::Mode::ReadWrite);
    } else {
        window.show();
    }
    const int code = QApplication::exec();
    window.stopDemo(); // our connection goes before the demo's files do
    return code;
}
