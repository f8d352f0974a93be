// SPDX-License-Identifier: GPL-3.0-or-later
#include "command.h"

#include <QJsonDocument>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace Cli {

QList<Command>& commands()
{
    static QList<Command> list;
    return list;
}

void addCommonOptions(QCommandLineParser& parser)
{
    parser.addOption({ u"json"_s, u"Print machine-readable JSON."_s });
    parser.addHelpOption();
}

int parse(QCommandLineParser& parser, const QString& name, const QStringList& args, int positionals)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!parser.parse(QStringList { u"cachescope-cli "_s + name } + args))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        printText(parser.helpText());
        return Ok;
    }
    if (parser.positionalArguments().size() != positionals)
        return usageError(u"%1 expects %2 argument(s), got %3 (see cachescope-cli %4 --help)"_s.arg(name)
                              .arg(positionals)
                              .arg(parser.positionalArguments().size())
                              .arg(name));
    return -1;
}

bool intOption(const QCommandLineParser& parser, const QString& option, qint64& value, qint64 minimum)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const qint64 parsed = parser.value(option).toLongLong(&ok);
    if (!ok || parsed < minimum) {
        usageError(u"--%1 needs a whole number ≥ %2, not \"%3\""_s.arg(option).arg(minimum).arg(parser.value(option)));
        return false;
    }
    value = parsed;
    return true;
}

void printJson(const QJsonObject& object)
{
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);
    std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void printText(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    std::fflush(stdout);
}

int fail(const Error& error)
{
    std::fprintf(stderr, "cachescope-cli: %s\n", error.message.toUtf8().constData());
    return Failure;
}

void printWarnings(const HealthWarnings& warnings)
{
    for (const HealthWarning& warning : warnings)
        std::fprintf(stderr, "cachescope-cli: warning: %s\n", warning.message.toUtf8().constData());
}

int usageError(const QString& message)
{
    std::fprintf(stderr, "cachescope-cli: %s\n", message.toUtf8().constData());
    return Usage;
}

} // namespace Cli
