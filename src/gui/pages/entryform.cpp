// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entryform.h"

#include "common/format.h"
#include "decode/pickle.h"
#include "entries/cacheformats.h"
#include "entries/entrydecoder.h"
#include "entries/storedvalue.h"
#include "entries/valuetext.h"
#include "models/entrycells.h"
#include "pages/entrydetail.h"
#include "pages/entrywholevalue.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("EntryForm", text);
}

QString escaped(const QString& text)
{
    return Format::escapeControl(text, true).toHtmlEscaped();
}

QString gray(const QString& text)
{
    return u"<span style=\"color:gray\">"_s + escaped(text) + u"</span>"_s;
}

const QString& nullHtml()
{
    static const QString html = u"<i style=\"color:gray\">NULL</i>"_s;
    return html;
}

// At most FormChars characters, each line at most LineChars, every cut said.
QString fitted(const QString& text)
{
    QString result;
    qsizetype at = 0;
    while (at <= text.size() && result.size() < EntryForm::FormChars) {
        qsizetype end = text.indexOf(u'\n', at);
        if (end < 0)
            end = text.size();
        const qsizetype length = end - at;
        if (!result.isEmpty() || at > 0)
            result += u'\n';
        if (length > EntryForm::LineChars)
            result += text.mid(at, EntryForm::LineChars)
                + tr(" … (this line has %1 characters; “Copy entry as JSON” copies it whole)")
                      .arg(Format::count(length));
        else
            result += text.mid(at, length);
        at = end + 1;
    }
    if (at < text.size())
        result += tr("\n… %1 characters are shown here of %2; “Copy entry as JSON” copies the whole entry")
                      .arg(Format::count(at), Format::count(text.size()));
    return result;
}

// Text wrapped at the pane's width, its line breaks and indentation kept.
QString block(const QString& text)
{
    return u"<pre style=\"white-space:pre-wrap\">"_s + escaped(fitted(text)) + u"</pre>"_s;
}

// A size as the table shows it ("2,019 bytes"), and in KiB/MiB when that reads better.
QString bytesHtml(qint64 bytes)
{
    return escaped(Format::byteCountScaled(bytes));
}

// One line: as it is; several: a block.
QString textHtml(const QString& text)
{
    return text.contains(u'\n') || text.size() > EntryForm::LineChars ? block(text) : escaped(text);
}

// How the time is kept in the table: its text as stored, and what a number counts (#28: "stored as
// 1796385735.5654092" was jargon): "stored as 1796385735.5654092 (Unix time, seconds)".
QString storedTimeText(const QDateTime& time, const QVariant& stored)
{
    const bool number = stored.typeId() == QMetaType::Double || stored.typeId() == QMetaType::LongLong
        || stored.typeId() == QMetaType::Int;
    if (!number)
        return tr("stored as %1").arg(stored.toString());
    const double value = stored.toDouble();
    const QString text = stored.typeId() == QMetaType::Double ? Format::real(value) : stored.toString();
    const double seconds = double(time.toMSecsSinceEpoch()) / 1000.0;
    if (std::abs(value - seconds) < 1.0)
        return tr("stored as %1 (Unix time, seconds)").arg(text);
    if (std::abs(value / 1000.0 - seconds) < 1.0)
        return tr("stored as %1 (Unix time, milliseconds)").arg(text);
    return tr("stored as the number %1").arg(text);
}

QString timeHtml(const QDateTime& time, const QVariant& stored)
{
    QString html = escaped(Format::utcText(time));
    const QString relative = EntryForm::relativeTime(time, QDateTime::currentDateTimeUtc());
    if (!relative.isEmpty())
        html += u" &nbsp;<span title=\""_s + EntryForm::relativeTimeTitle(time) + u"\">"_s + escaped(relative)
            + u"</span>"_s;
    if (stored.isValid() && !stored.isNull() && stored.typeId() != QMetaType::QByteArray) {
        html += u" &nbsp;"_s + gray(storedTimeText(time, stored));
    }
    return html;
}

// A decoded column of the entry, as `entries --key` shows it.
QString decodedHtml(const EntryView& view, const EntryRow& row, int c)
{
    const QVariant& value = row.values.value(c);
    const QVariant& raw = row.raw.value(c);
    QString html;
    if (value.typeId() == QMetaType::QJsonValue) {
        // A pickle as Python's repr() writes it while it fits the form; a longer one as indented JSON, whose
        // long strings show their start and length, so that what follows a long string is still seen.
        const QString repr = row.repr.value(c).size() <= EntryForm::FormChars ? row.repr.value(c) : QString();
        html = block(ValueText::of(value.toJsonValue(), EntryForm::FormChars, EntryDetail::StringChars, repr).text);
    } else if (value.typeId() == QMetaType::QDateTime) {
        html = timeHtml(value.toDateTime(), raw);
    } else if (value.typeId() == QMetaType::QByteArray) {
        html = bytesHtml(std::max<qint64>(row.lengths.value(c), value.toByteArray().size()))
            + block(ValueText::hexDump(value.toByteArray(), 512, row.lengths.value(c)));
    } else if (!value.isValid() || value.isNull()) {
        html = nullHtml();
    } else if (value.typeId() == QMetaType::Bool) {
        html = value.toBool() ? tr("yes") : tr("no");
    } else if (value.typeId() == QMetaType::Double) {
        html = escaped(Format::real(value.toDouble()));
    } else if (EntryCells::holdsBytes(view.columns[c]) && value.typeId() == QMetaType::LongLong) {
        html = bytesHtml(value.toLongLong());
    } else if (value.typeId() == QMetaType::LongLong) { // as the table shows it: hits and tokens grouped
        html = escaped(EntryCells::display(view, row, c).toString());
    } else {
        html = textHtml(value.toString());
        if (row.isTruncated(c))
            html += gray(tr("… %1 characters in all (“Copy entry as JSON” copies it whole)")
                             .arg(Format::count(row.lengths.value(c))));
    }
    if (row.cutColumns.contains(c))
        html += gray(tr("(cut at a limit — %1 values, 64 levels deep; “… cut at N items” marks each place)")
                         .arg(Format::count(EntryDecoder::FullDecodeNodes)));
    return html;
}

// What the value is: "an HTTP response", "decoded from a pickle", "text, 12 characters".
QString valueKind(const EntryRow& row, int c)
{
    const QVariant& value = row.values.value(c);
    const QVariant& raw = row.raw.value(c);
    if (value.typeId() == QMetaType::QJsonValue) {
        const QString kind = ValueText::isHttpResponse(value.toJsonValue()) ? tr("an HTTP response, unpickled")
            : raw.typeId() == QMetaType::QByteArray && Pickle::looksLikePickle(raw.toByteArray())
            ? tr("a pickle, shown as plain data (nothing in it was run)")
            : tr("decoded data");
        return kind;
    }
    if (value.typeId() == QMetaType::QString)
        return tr("text, %1").arg(Format::counted(row.lengths.value(c), tr("character"), tr("characters")));
    if (value.typeId() == QMetaType::QByteArray)
        return tr("binary");
    return QString();
}

// A column as the table stores it; shortened where the decoded form is shown above.
// storedLength: the stored length when value is only its start (-1: whole).
QString storedHtml(const QString& column, const QVariant& value, bool decodedAbove, qint64 storedLength)
{
    if (!value.isValid() || value.isNull())
        return nullHtml();
    if (!decodedAbove)
        return block(EntryDetail::valueText(column, value, storedLength));
    if (value.typeId() == QMetaType::QByteArray) {
        const QByteArray bytes = value.toByteArray();
        QString html = bytesHtml(std::max<qint64>(storedLength, bytes.size()));
        if (Pickle::looksLikePickle(bytes))
            return html + u" "_s + gray(tr("— a pickle, shown decoded above"));
        return html + block(ValueText::hexDump(bytes, 256));
    }
    QString html;
    if (value.typeId() == QMetaType::Double)
        html = escaped(Format::real(value.toDouble()));
    else if (value.typeId() == QMetaType::QString && value.toString().size() > EntryForm::StoredChars)
        html = textHtml(value.toString().left(EntryForm::StoredChars))
            + gray(tr("… %1 characters in all")
                       .arg(Format::count(std::max(storedLength, StoredValue::codePoints(value.toString())))));
    else
        html = textHtml(value.toString());
    const QString date = EntryDetail::dateOf(column, value);
    if (!date.isEmpty())
        html += u" &nbsp;"_s + gray(u"= "_s + date);
    return html;
}

QString row(const QString& name, const QString& note, const QString& valueHtml)
{
    QString label = u"<b>"_s + escaped(name) + u"</b>"_s;
    if (!note.isEmpty())
        label += u"<br><small style=\"color:gray\">"_s + escaped(note) + u"</small>"_s;
    return u"<tr><td valign=\"top\" width=\"22%\">"_s + label + u"</td><td valign=\"top\">"_s + valueHtml
        + u"</td></tr>"_s;
}

QString table(const QStringList& rows)
{
    return u"<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" style=\"margin-top:6px\">"_s
        + rows.join(QString()) + u"</table>"_s;
}

// Whether the form shows a stored value whole: text up to FormChars in lines up to LineChars, a
// BLOB up to the hex dump's 512 bytes or as a pickle decoded.
bool shownWhole(const QVariant& value)
{
    if (value.typeId() == QMetaType::QByteArray)
        return value.toByteArray().size() <= 512 || Pickle::looksLikePickle(value.toByteArray());
    if (value.typeId() != QMetaType::QString)
        return true;
    const QString text = value.toString();
    if (text.size() > EntryForm::FormChars)
        return false;
    qsizetype at = 0;
    while (at < text.size()) {
        qsizetype end = text.indexOf(u'\n', at);
        if (end < 0)
            end = text.size();
        if (end - at > EntryForm::LineChars)
            return false;
        at = end + 1;
    }
    return true;
}

// A note for each column the form shows cut (#23.3): how long it is, and "Show all" — or, past
// what is shown whole, "Save to file…". HTML.
QStringList cutNotes(const EntryView& view, const EntryTableModel::WholeEntry& entry, qint64 maxLength)
{
    QStringList notes;
    for (const QString& column : view.schema.columnNames()) {
        const auto it = entry.values.constFind(column);
        if (it == entry.values.cend())
            continue;
        const bool binary = it->typeId() == QMetaType::QByteArray;
        const bool cut = entry.cutLengths.contains(column);
        if (!cut && shownWhole(*it))
            continue;
        // Characters as SQLite's length() and the libraries count them: code points, an emoji one.
        const qint64 length = entry.cutLengths.value(
            column, binary ? it->toByteArray().size() : StoredValue::codePoints(it->toString()));
        const QString size = binary ? Format::counted(length, tr("byte"), tr("bytes"))
                                    : Format::counted(length, tr("character"), tr("characters"));
        QString note
            = escaped(cut ? tr("%1 holds %2; the first %3 were read and its start is shown here.")
                                .arg(Format::escapeControl(column), size, Format::count(maxLength))
                          : tr("%1 holds %2; its start is shown here.").arg(Format::escapeControl(column), size));
        if (EntryWholeValue::fits(length, binary))
            note += u" <a href=\""_s + EntryWholeValue::showLink(column).toHtmlEscaped() + u"\">"_s
                + escaped(tr("Show all (%1)").arg(size)) + u"</a>"_s;
        else
            note += u" "_s
                + escaped(
                    tr("That is more than is shown whole here (%1):")
                        .arg(binary ? Format::byteCountScaled(EntryWholeValue::MaxBytes)
                                    : Format::counted(EntryWholeValue::MaxChars, tr("character"), tr("characters"))))
                + u" <a href=\""_s + EntryWholeValue::saveLink(column).toHtmlEscaped() + u"\">"_s
                + escaped(tr("Save %1 to a file…").arg(Format::escapeControl(column))) + u"</a>"_s;
        notes << note;
    }
    return notes;
}
} // namespace

QString EntryForm::html(
    const EntryView& view, const EntryTableModel::WholeEntry& entry, const QString& databasePath, qint64 maxLength)
{
    QStringList notes;
    if (!entry.decoded)
        notes << escaped(tr("This entry is no longer in the cache."));
    notes << cutNotes(view, entry, maxLength);
    QString html;
    for (const QString& note : std::as_const(notes))
        html += u"<p style=\"background-color:#fff3cd; color:#664d03\">"_s + note + u"</p>"_s;

    const CacheFormat& format = CacheFormats::byId(view.profile);
    const QStringList storedColumns = view.schema.columnNames();
    const bool decoded = entry.decoded && !CacheFormats::isGeneric(view.profile);
    if (decoded) {
        const EntryRow& entryRow = *entry.decoded;
        const int value = view.columnIndex(EntryColumn::Role::Value);
        if (value >= 0) {
            QString about = valueKind(entryRow, value);
            if (format.keepsValueFiles()) {
                const QString file = valueFileNote(databasePath, entry.values);
                if (!file.isEmpty())
                    about = about.isEmpty() ? file : about + u"; "_s + file;
            }
            html += u"<p><b style=\"font-size:large\">"_s + escaped(view.columns[value].name) + u"</b>"_s
                + (about.isEmpty() ? QString() : u" &nbsp;"_s + gray(about)) + u"</p>"_s;
            html += decodedHtml(view, entryRow, value);
        }
        QStringList rows;
        for (int c = 0; c < view.columns.size(); ++c) {
            if (c == value)
                continue;
            // A bare NULL or code a user cannot read gets its words ("never expires", "no tag").
            const QString words = format.shownValueWords(view.columns[c].name, entryRow.values.value(c));
            rows << row(view.columns[c].name, format.shownColumnNote(view.columns[c].name),
                words.isEmpty() ? decodedHtml(view, entryRow, c) : escaped(words));
        }
        html += table(rows);
        html += u"<p><b>"_s + escaped(tr("As stored in the table “%1”").arg(view.table)) + u"</b></p>"_s;
    } else {
        html += u"<p><b>"_s + escaped(tr("Columns of “%1”").arg(view.table)) + u"</b></p>"_s;
    }
    // The value first where the view knows which column holds it.
    QStringList order = storedColumns;
    const int value = view.columnIndex(EntryColumn::Role::Value);
    if (!decoded && value >= 0 && order.removeOne(view.columns[value].name))
        order.prepend(view.columns[value].name);
    QStringList rows;
    for (const QString& column : std::as_const(order)) {
        if (entry.values.contains(column))
            rows << row(column, format.storedColumnNote(view.table, column),
                storedHtml(column, entry.values.value(column), decoded, entry.cutLengths.value(column, -1)));
    }
    return html + table(rows);
}

QString EntryForm::valueFileNote(const QString& databasePath, const QVariantMap& stored)
{
    const QString name = stored.value(u"filename"_s).toString();
    if (name.isEmpty() || QDir::isAbsolutePath(name) || name.contains(u".."_s))
        return QString();
    const QFileInfo file(QFileInfo(databasePath).dir().filePath(name));
    if (!file.exists() || file.isSymLink())
        return tr("kept in the value file %1, which is missing").arg(file.filePath());
    return tr("kept in the value file %1 (%2 on disk)").arg(file.filePath(), Format::bytesNoBreak(file.size()));
}

QString EntryForm::relativeTime(const QDateTime& time, const QDateTime& now)
{
    if (!time.isValid() || !now.isValid())
        return QString();
    const qint64 seconds = now.secsTo(time);
    const qint64 magnitude = std::abs(seconds);
    struct Unit {
        qint64 seconds;
        const char* one;
        const char* many;
    };
    static const Unit units[] = { { 365 * 86400, "%1 year", "%1 years" }, { 30 * 86400, "%1 month", "%1 months" },
        { 86400, "%1 day", "%1 days" }, { 3600, "%1 hour", "%1 hours" }, { 60, "%1 minute", "%1 minutes" },
        { 1, "%1 second", "%1 seconds" } };
    if (magnitude < 1)
        return tr("now");
    for (const Unit& unit : units) {
        if (magnitude < unit.seconds)
            continue;
        const qint64 n = magnitude / unit.seconds;
        const QString amount = tr(n == 1 ? unit.one : unit.many).arg(Format::count(n));
        return seconds < 0 ? tr("%1 ago").arg(amount) : tr("in %1").arg(amount);
    }
    return QString();
}

namespace {
const QString RelativeTimeTitleFormat = u"yyyy-MM-dd HH:mm:ss.zzz 'UTC'"_s;
}

QString EntryForm::relativeTimeTitle(const QDateTime& time)
{
    return time.toUTC().toString(RelativeTimeTitleFormat);
}

QDateTime EntryForm::relativeTimeOfTitle(const QString& title)
{
    if (!title.endsWith(u" UTC"_s))
        return QDateTime();
    QDateTime time = QDateTime::fromString(title, RelativeTimeTitleFormat);
    time.setTimeSpec(Qt::UTC);
    return time;
}
