// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/valuetext.h"

#include "common/format.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace {

QString headerValue(const QJsonObject& headers, const QString& name)
{
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        if (it.key().compare(name, Qt::CaseInsensitive) == 0)
            return it.value().toString();
    }
    return QString();
}

QString quoted(const QString& text, qsizetype stringChars)
{
    QString shown = text;
    QString note;
    if (stringChars > 0 && text.size() > stringChars) {
        shown = text.left(stringChars);
        note = u"… (%1 characters in all)"_s.arg(Format::count(text.size()));
    }
    const QByteArray json = QJsonDocument(QJsonArray { shown }).toJson(QJsonDocument::Compact);
    QString out = QString::fromUtf8(json.mid(1, json.size() - 2));
    if (!note.isEmpty())
        out.insert(out.size() - 1, note);
    return out;
}

void appendJson(QString& out, const QJsonValue& value, int indent, qsizetype stringChars, qsizetype maxChars)
{
    if (maxChars > 0 && out.size() > maxChars)
        return;
    const QString pad(indent * 4, u' ');
    const QString inner((indent + 1) * 4, u' ');
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.isEmpty()) {
            out += u"{}"_s;
            return;
        }
        out += u"{\n"_s;
        for (auto it = object.begin(); it != object.end(); ++it) {
            out += inner + quoted(it.key(), 0) + u": "_s;
            appendJson(out, it.value(), indent + 1, stringChars, maxChars);
            out += std::next(it) == object.end() ? u"\n"_s : u",\n"_s;
            if (maxChars > 0 && out.size() > maxChars)
                return;
        }
        out += pad + u'}';
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            out += u"[]"_s;
            return;
        }
        out += u"[\n"_s;
        for (qsizetype i = 0; i < array.size(); ++i) {
            out += inner;
            appendJson(out, array[i], indent + 1, stringChars, maxChars);
            out += i + 1 == array.size() ? u"\n"_s : u",\n"_s;
            if (maxChars > 0 && out.size() > maxChars)
                return;
        }
        out += pad + u']';
    } else if (value.isString()) {
        out += quoted(value.toString(), stringChars);
    } else {
        out += QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact)).chopped(1).mid(1);
    }
}

QString indentedJson(const QJsonValue& value, qsizetype stringChars, qsizetype maxChars)
{
    if (value.isString())
        return value.toString();
    QString out;
    appendJson(out, value, 0, stringChars, maxChars);
    return out;
}

// A body as the response's Content-Type says: JSON indented, text as it is, binary as hex.
QString body(const QJsonValue& content, const QString& contentType)
{
    if (content.isNull() || content.isUndefined())
        return u"Body: none"_s;
    const QJsonObject bytes = content.toObject();
    const qint64 size = bytes.contains(u"blob_bytes"_s) ? bytes[u"blob_bytes"_s].toInteger()
                                                        : qint64(content.toString().toUtf8().size());
    if (bytes.contains(u"hex"_s)) {
        return u"Body: %1, binary\n%2"_s.arg(Format::byteCount(size),
            ValueText::hexDump(QByteArray::fromHex(bytes[u"hex"_s].toString().toLatin1()), 512, size));
    }
    const QString text = bytes.contains(u"preview"_s) ? bytes[u"preview"_s].toString() : content.toString();
    if (size == 0)
        return u"Body: empty"_s;
    if (contentType.contains(u"json"_s, Qt::CaseInsensitive) || text.startsWith(u'{') || text.startsWith(u'[')) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
        if (error.error == QJsonParseError::NoError)
            return u"Body: %1, JSON\n%2"_s.arg(
                Format::byteCount(size), QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed());
    }
    return u"Body: %1, text\n%2"_s.arg(Format::byteCount(size), text);
}

} // namespace

QString ValueText::ascii(const QByteArray& bytes)
{
    QString text;
    text.reserve(bytes.size());
    for (char c : bytes)
        text += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : u'.';
    return text;
}

QString ValueText::bytesLine(const QByteArray& bytes, qint64 totalBytes)
{
    const QByteArray head = bytes.left(LineBytes);
    const qint64 total = std::max<qint64>(totalBytes, bytes.size());
    QString text = Format::byteCount(total);
    if (!head.isEmpty())
        text += u": "_s + QString::fromLatin1(head.toHex(' ')) + u" |"_s + ascii(head) + u'|';
    return total > head.size() ? text + u" …"_s : text;
}

bool ValueText::isHttpResponse(const QJsonValue& value)
{
    const QJsonObject object = value.toObject();
    return object.contains(u"status_code"_s) && object.value(u"headers"_s).isObject() && object.contains(u"_content"_s);
}

QString ValueText::httpResponse(const QJsonObject& response)
{
    QStringList lines;
    const QString reason = response[u"reason"_s].toString();
    lines
        << u"HTTP %1%2"_s.arg(response[u"status_code"_s].toInteger()).arg(reason.isEmpty() ? QString() : u' ' + reason);
    const QJsonObject request = response[u"request"_s].toObject();
    const QString url = response[u"url"_s].toString(request[u"url"_s].toString());
    lines << u"%1 %2"_s.arg(request[u"method"_s].toString(u"GET"_s), url);
    // One time format with the detail's other times (#28 review): "2026-08-03 13:32:07.270 UTC", then as stored.
    const auto time = [](const QString& stored) {
        QDateTime parsed = QDateTime::fromString(stored, Qt::ISODateWithMs);
        parsed.setTimeSpec(Qt::UTC); // requests-cache stores naive UTC
        return u"%1 (stored as \"%2\")"_s.arg(parsed.isValid() ? Format::utcText(parsed) : stored + u" UTC"_s, stored);
    };
    if (response.contains(u"created_at"_s))
        lines << u"Cached: "_s + time(response[u"created_at"_s].toString());
    if (response.contains(u"expires"_s))
        lines << (response[u"expires"_s].isNull() ? u"Expires: never"_s
                                                  : u"Expires: "_s + time(response[u"expires"_s].toString()));
    lines << QString() << u"Headers:"_s;
    const QJsonObject headers = response[u"headers"_s].toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        lines << u"  %1: %2"_s.arg(it.key(), it.value().toString());
    lines << QString() << body(response[u"_content"_s], headerValue(headers, u"Content-Type"_s));
    if (!request.isEmpty()) {
        lines << QString() << u"Request headers:"_s;
        const QJsonObject sent = request[u"headers"_s].toObject();
        for (auto it = sent.begin(); it != sent.end(); ++it)
            lines << u"  %1: %2"_s.arg(it.key(), it.value().toString());
    }
    return lines.join(u'\n');
}

ValueText::Text ValueText::of(const QJsonValue& value, qsizetype maxChars, qsizetype stringChars, const QString& repr)
{
    Text out;
    // Written up to just past maxChars (a million values need not all become text to be cut).
    out.text = isHttpResponse(value) ? httpResponse(value.toObject())
        : !repr.isEmpty()            ? repr
                                     : indentedJson(value, stringChars, maxChars);
    out.fullChars = out.text.size();
    if (maxChars > 0 && out.text.size() > maxChars) {
        out.text.truncate(maxChars);
        out.text += u"\n… cut after %1 characters (the JSON tree and “Copy entry as JSON” hold it all)"_s.arg(
            Format::count(maxChars));
    }
    return out;
}

QString ValueText::hexDump(const QByteArray& bytes, int maxBytes, qint64 totalBytes)
{
    QStringList lines;
    const int shown = int(std::min<qsizetype>(bytes.size(), maxBytes));
    for (int offset = 0; offset < shown; offset += 16) {
        const QByteArray chunk = bytes.mid(offset, std::min(16, shown - offset));
        lines << u"%1  %2  %3"_s.arg(offset, 6, 16, QChar(u'0'))
                     .arg(QString::fromLatin1(chunk.toHex(' ')).leftJustified(47), ascii(chunk));
    }
    const qint64 total = std::max<qint64>(totalBytes, bytes.size());
    if (total > shown)
        lines << u"… %1 more bytes"_s.arg(total - shown);
    return lines.join(u'\n');
}
