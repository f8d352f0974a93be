// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entryexport.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

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

QByteArray EntryExport::line(const EntryView& view, const EntryRow& row, Format format, Binary binary)
{
    // A whole BLOB in base64 (a cut one never: its preview is all there is to write).
    const auto base64 = [&row, binary](int c) -> std::optional<QString> {
        const QVariant& value = row.values.value(c);
        if (binary != Binary::Base64 || value.typeId() != QMetaType::QByteArray || row.isTruncated(c))
            return std::nullopt;
        return QString::fromLatin1(value.toByteArray().toBase64());
    };
    if (format == Format::JsonLines) {
        QJsonObject object;
        for (int c = 0; c < view.columns.size(); ++c) {
            const auto encoded = base64(c);
            // Whole: its size is the bytes read (lengths are kept for cut values only).
            object.insert(view.columns[c].name,
                encoded ? QJsonObject { { u"blob_bytes"_s, row.values.value(c).toByteArray().size() },
                    { u"base64"_s, *encoded } }
                        : row.json(c));
        }
        return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    }
    QByteArrayList fields;
    for (int c = 0; c < view.columns.size(); ++c) {
        const auto encoded = base64(c);
        fields << csvField(encoded ? *encoded : csvText(row.json(c)));
    }
    return fields.join(',') + "\r\n";
}

Result<qint64> EntryExport::run(const QString& path, const QString& table, const EntryFilter& filter, Format format,
    QIODevice* out, const std::atomic_bool& cancel, const Progress& progress)
{
    Options options;
    options.format = format;
    return run(path, table, filter, options, out, cancel, progress);
}

Result<qint64> EntryExport::run(const QString& path, const QString& table, const EntryFilter& filter,
    const Options& options, QIODevice* out, const std::atomic_bool& cancel, const Progress& progress)
{
    auto db = Database::open(path, Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto view = Profiles::view(db->get(), table);
    if (!view)
        return view.error();
    const bool wholeBlobs = options.binary == Binary::Base64;
    for (EntryColumn& column : view->columns) {
        const bool shortColumn = column.previewChars > 0 && column.previewChars < 64;
        column.previewChars = shortColumn && !wholeBlobs ? column.previewChars : 0;
    }
    EntryPager pager(db->get(), view.value());
    pager.setFilter(options.keys.isEmpty() ? filter : EntryFilter {});
    out->write(header(pager.view(), options.format));
    const auto write = [&](const EntryRow& row) -> Status {
        if (out->write(line(pager.view(), row, options.format, options.binary)) < 0)
            return Error { Error::Kind::Io, u"cannot write the export: "_s + out->errorString() };
        return {};
    };
    qint64 written = 0;
    if (!options.keys.isEmpty()) { // the given entries, one short statement each
        for (const QVariantList& key : options.keys) {
            if (cancel.load())
                break;
            auto page = pager.from(key, 1);
            if (!page)
                return page.error();
            if (page->rows.isEmpty() || page->rows.first().key != key)
                continue; // removed since it was selected
            if (Status wrote = write(page->rows.first()); !wrote)
                return wrote.error();
            ++written;
            if (progress && written % 64 == 0)
                progress(written);
        }
        return written;
    }
    QVariantList after;
    while (!cancel.load()) {
        auto page = pager.after(after, 512);
        if (!page)
            return page.error();
        for (const EntryRow& row : page->rows) {
            if (Status wrote = write(row); !wrote)
                return wrote.error();
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
