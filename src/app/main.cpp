// SPDX-License-Identifier: GPL-3.0-or-later
// cachescope: the CacheScope GUI. Arguments are parsed before any QApplication exists so that
// --help and --version work without a display.
#include "mainwindow.h"

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
    parser.addPositionalArgument(u"DB"_s, u"The SQLite cache to open."_s, u"[DB]"_s);
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(u"CacheScope"_s);
    QCoreApplication::setApplicationName(u"cachescope"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CACHESCOPE_VERSION));
}
}

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
    }
    QApplication app(argc, argv);
    setIdentity();
    QApplication::setDesktopFileName(QStringLiteral(CACHESCOPE_APP_ID));
    QCommandLineParser parser;
    describe(parser);
    parser.process(app);

    MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openDatabase(parser.positionalArguments().first(),
                            parser.isSet(u"read-only"_s) ? Database::Mode::ReadOnly : Database::Mode::ReadWrite);
    return QApplication::exec();
}
