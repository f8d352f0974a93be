// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entryexport.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

QByteArray EntryExport::csvField(const QString& text)
{
    QString field = text;
    if (field.contains(u'"') || field.contains(u',') || field.contains(u'\n') || field.contains(u'\r'))
        field = u'"' + field.replace(u'"', u"\"\""_s) + u'"';
    return field.toUtf8();
}

QString EntryExport::csvText(const QJsonValue& value)
{
    if (value.isNull())
        return QString();
    if (value.isObject())
        return value[u"preview"_s].toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    return value.toVariant().toString();
}

EntryExport::Format EntryExport::formatForFile(const QString& fileName)
{
    return fileName.endsWith(u".csv"_s, Qt::CaseInsensitive) ? Format::Csv : Format::JsonLines;
}

QByteArray EntryExport::header(const EntryView& view, Format format)
{
    if (format == Format::JsonLines)
        return {};
    QByteArrayList fields;
    for (const QString& name : view.columnNames())
        fields << csvField(name);
    return fields.join(',') + "\r\n";
}

QByteArray EntryExport::line(const EntryView& view, const EntryRow& row, Format format)
{
    if (format == Format::JsonLines) {
        QJsonObject object;
        for (int c = 0; c < view.columns.size(); ++c)
            object.insert(view.columns[c].name, row.json(c));
        return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    }
    QByteArrayList fields;
    for (int c = 0; c < view.columns.size(); ++c)
        fields << csvField(csvText(row.json(c)));
    return fields.join(',') + "\r\n";
}

Result<qint64> EntryExport::run(const QString& path, const QString& table, const EntryFilter& filter, Format format,
    QIODevice* out, const std::atomic_bool& cancel, const Progress& progress)
{
    auto db = Database::open(path, Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto view = Profiles::view(db->get(), table);
    if (!view)
        return view.error();
    for (EntryColumn& column : view->columns)
        column.previewChars = column.previewChars > 0 && column.previewChars < 64 ? column.previewChars : 0;
    EntryPager pager(db->get(), view.value());
    pager.setFilter(filter);
    out->write(header(pager.view(), format));
    qint64 written = 0;
    QVariantList after;
    while (!cancel.load()) {
        auto page = pager.after(after, 512);
        if (!page)
            return page.error();
        for (const EntryRow& row : page->rows) {
            if (out->write(line(pager.view(), row, format)) < 0)
                return Error { Error::Kind::Io, u"cannot write the export: "_s + out->errorString() };
        }
        written += page->rows.size();
        if (progress)
            progress(written);
        if (page->atEnd)
            break;
        after = page->rows.last().key;
    }
    return written;
}
