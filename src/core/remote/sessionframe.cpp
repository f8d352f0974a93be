// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/sessionframe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace {
Error invalid(const QString& why)
{
    return { Error::Kind::Invalid, why };
}

bool wholeNumber(const QJsonValue& value, qint64 minimum, qint64 maximum)
{
    return value.isDouble() && value.toDouble() == double(value.toInteger()) && value.toInteger() >= minimum
        && value.toInteger() <= maximum;
}
} // namespace

QByteArray SessionFrame::request(qint64 id, const QStringList& args)
{
    return QJsonDocument(QJsonObject { { u"id"_s, id }, { u"args"_s, QJsonArray::fromStringList(args) } })
               .toJson(QJsonDocument::Compact)
        + '\n';
}

Result<SessionFrame> SessionFrame::fromRequest(const QByteArray& line)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (!document.isObject())
        return invalid(u"a request is one line of JSON, an object with \"id\" and \"args\": %1"_s.arg(
            parseError.error != QJsonParseError::NoError ? parseError.errorString() : u"not an object"_s));
    const QJsonObject object = document.object();
    if (!wholeNumber(object[u"id"_s], 0, qint64(1) << 52))
        return invalid(u"\"id\" must be a whole number from 0 to 2^52"_s);
    SessionFrame frame;
    frame.id = object[u"id"_s].toInteger();
    const QJsonArray args = object[u"args"_s].toArray();
    for (const QJsonValue& arg : args) {
        if (!arg.isString())
            return invalid(u"\"args\" must be an array of strings"_s);
        frame.args.append(arg.toString());
    }
    if (frame.args.isEmpty())
        return invalid(u"\"args\" must name a command"_s);
    return frame;
}

QByteArray SessionFrame::answer(qint64 id, int exitCode, const QByteArray& out, const QByteArray& err)
{
    return QJsonDocument(QJsonObject { { u"id"_s, id }, { u"exit_code"_s, exitCode }, { u"stdout_bytes"_s, out.size() },
                             { u"stderr_bytes"_s, err.size() } })
               .toJson(QJsonDocument::Compact)
        + '\n' + out + err;
}

std::optional<Result<SessionFrame>> SessionFrame::takeAnswer(QByteArray& pending)
{
    const qsizetype newline = pending.indexOf('\n');
    if (newline < 0) {
        if (pending.size() > MaxHeaderBytes)
            return Result<SessionFrame>(invalid(u"no answer header in the first %1 bytes"_s.arg(MaxHeaderBytes)));
        return std::nullopt;
    }
    const QJsonObject header = QJsonDocument::fromJson(pending.left(newline)).object();
    constexpr qint64 MaxBytes = qint64(1) << 40;
    if (!wholeNumber(header[u"id"_s], 0, qint64(1) << 52) || !wholeNumber(header[u"exit_code"_s], -1, 255)
        || !wholeNumber(header[u"stdout_bytes"_s], 0, MaxBytes) || !wholeNumber(header[u"stderr_bytes"_s], 0, MaxBytes))
        return Result<SessionFrame>(invalid(
            u"not an answer header: %1"_s.arg(QString::fromUtf8(pending.left(std::min<qsizetype>(newline, 200))))));
    const qint64 outBytes = header[u"stdout_bytes"_s].toInteger();
    const qint64 errBytes = header[u"stderr_bytes"_s].toInteger();
    if (pending.size() - newline - 1 < outBytes + errBytes)
        return std::nullopt;
    SessionFrame frame;
    frame.id = header[u"id"_s].toInteger();
    frame.exitCode = header[u"exit_code"_s].toInt();
    frame.out = pending.mid(newline + 1, outBytes);
    frame.err = pending.mid(newline + 1 + outBytes, errBytes);
    pending.remove(0, newline + 1 + outBytes + errBytes);
    return Result<SessionFrame>(std::move(frame));
}
