// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entryclipboard.h"

#include "common/format.h"
#include "entries/entryexport.h"
#include "entries/keyjson.h"
#include "models/fanoutentrymodel.h"
#include "pages/entrydetail.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTableView>

using namespace Qt::Literals::StringLiterals;

namespace {
// text quoted for a POSIX shell.
QString quoted(QString text)
{
    return u'\'' + text.replace(u'\'', u"'\\''"_s) + u'\'';
}

// `--key 'TEXT'` for a text key, `--key-json 'JSON'` for any other (a tuple, a number, bytes), quoted
// for a POSIX shell. --key compares the key as text, so a text that reads as a number ('7')
// would also find the number 7: it goes as JSON text ('"7"'), which finds it alone.
QString cliKeyOption(const QVariant& value)
{
    if (value.typeId() == QMetaType::QString) {
        bool number = false;
        (void)value.toString().toDouble(&number);
        if (!number)
            return u"--key "_s + quoted(value.toString());
    }
    return u"--key-json "_s + quoted(KeyJson::of(value));
}

// The key itself, as a user pastes it elsewhere: a text key as it is, any other as its JSON.
QString plainKey(const QVariant& value)
{
    return value.typeId() == QMetaType::QString ? value.toString() : KeyJson::of(value);
}
} // namespace

EntryClipboard::EntryClipboard(QTableView* rows, QObject* parent)
    : QObject(parent)
    , m_rows(rows)
{
}

EntryTableModel* EntryClipboard::model() const
{
    return qobject_cast<EntryTableModel*>(m_rows->model());
}

void EntryClipboard::addActions()
{
    auto add = [this](const QString& text, const QString& what, const QKeySequence& shortcut = {}) {
        auto* action = new QAction(text, m_rows);
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetShortcut);
        connect(action, &QAction::triggered, this, [this, what] {
            if (what == u"entry"_s)
                copyEntry();
            else if (what == u"cli-key"_s)
                copyKey(KeyForm::CliOption);
            else if (what == u"key"_s)
                copyKey(KeyForm::Plain);
            else
                QApplication::clipboard()->setText(copyText(what));
        });
        m_rows->addAction(action);
    };
    add(tr("Copy cell"), u"cell"_s, QKeySequence::Copy);
    add(tr("Copy row as JSON"), u"row"_s);
    add(tr("Copy key"), u"key"_s);
    add(tr("Copy key as a cachescope-cli option (--key / --key-json)"), u"cli-key"_s);
    add(tr("Copy entry as JSON (whole values)"), u"entry"_s);
}

QString EntryClipboard::shardOption(int row) const
{
    const auto* fanout = qobject_cast<const FanoutEntryModel*>(model());
    const int shard = fanout ? fanout->shardOfRow(row) : -1;
    if (shard >= 0)
        return u" --shard "_s + fanout->shardLabel(shard);
    if (m_subCache.isEmpty())
        return QString();
    const bool plain = std::all_of(m_subCache.cbegin(), m_subCache.cend(),
        [](QChar c) { return (c.unicode() < 128 && c.isLetterOrNumber()) || QStringView(u"/._-").contains(c); });
    return u" --shard "_s + (plain ? m_subCache : quoted(m_subCache));
}

QString EntryClipboard::copyText(const QString& what) const
{
    const EntryTableModel* model = this->model();
    if (!model)
        return QString();
    const QModelIndex current = m_rows->currentIndex();
    const auto row = model->rowAt(current.row());
    if (!current.isValid() || !row)
        return QString();
    const EntryView& view = model->view();
    if (what == u"cell"_s) {
        const QJsonValue value = row->json(current.column());
        return value.isString()
            ? value.toString()
            : QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact)).chopped(1).mid(1);
    }
    if (what == u"row"_s)
        return QString::fromUtf8(EntryExport::line(view, *row, EntryExport::Format::JsonLines)).trimmed();
    if (what == u"cli-key"_s || what == u"key"_s) { // the key, or the option cachescope-cli entries takes for it
        const int key = view.columnIndex(EntryColumn::Role::Key);
        if (key < 0 || row->isTruncated(key))
            return QString(); // a cut preview is not the key: copyKey() reads it whole
        return what == u"key"_s ? plainKey(row->values.value(key))
                                : cliKeyOption(row->values.value(key)) + shardOption(current.row());
    }
    return QString();
}

void EntryClipboard::copyEntry()
{
    const EntryTableModel* model = this->model();
    const int row = m_rows->currentIndex().row();
    if (!model || row < 0)
        return;
    Q_EMIT status(tr("Copying entry %1 as JSON…").arg(row + 1));
    model->readEntry(
        row, 0, this,
        [this, row](Result<EntryTableModel::WholeEntry> entry) {
            if (!entry) {
                Q_EMIT status(tr("Could not copy entry %1: %2").arg(row + 1).arg(entry.error().message));
                Q_EMIT entryCopied(QString());
                return;
            }
            QApplication::clipboard()->setText(entry->rendered);
            Q_EMIT status(
                tr("Copied entry %1 as JSON (%2 characters).").arg(row + 1).arg(Format::count(entry->rendered.size())));
            Q_EMIT entryCopied(entry->rendered);
        },
        [view = model->view()](const EntryTableModel::WholeEntry& entry) {
            return QString::fromUtf8(
                QJsonDocument(EntryDetail::json(view, entry.decoded, entry.values)).toJson(QJsonDocument::Indented));
        });
}

void EntryClipboard::copyKey(KeyForm form)
{
    const EntryTableModel* model = this->model();
    const int row = m_rows->currentIndex().row();
    const auto shown = model ? model->rowAt(row) : std::nullopt;
    const int key = model ? model->view().columnIndex(EntryColumn::Role::Key) : -1;
    if (!shown || key < 0)
        return Q_EMIT keyCopied(QString());
    if (!shown->isTruncated(key)) {
        const QString option = copyText(form == KeyForm::Plain ? u"key"_s : u"cli-key"_s);
        QApplication::clipboard()->setText(option);
        return Q_EMIT keyCopied(option);
    }
    // The row shows a preview of a long key: the option needs all of it, read on the entry reader.
    Q_EMIT status(tr("Copying the key of entry %1…").arg(row + 1));
    model->readEntry(
        row, 0, this,
        [this, row](Result<EntryTableModel::WholeEntry> entry) {
            if (!entry || entry->rendered.isEmpty()) {
                Q_EMIT status(tr("Could not copy the key of entry %1: %2")
                                  .arg(row + 1)
                                  .arg(entry ? tr("it is gone") : entry.error().message));
                return Q_EMIT keyCopied(QString());
            }
            QApplication::clipboard()->setText(entry->rendered);
            Q_EMIT status(tr("Copied the key of entry %1 (%2).")
                              .arg(row + 1)
                              .arg(Format::counted(entry->rendered.size(), tr("character"), tr("characters"))));
            Q_EMIT keyCopied(entry->rendered);
        },
        [key, form, shard = shardOption(row)](const EntryTableModel::WholeEntry& entry) {
            if (!entry.decoded)
                return QString();
            const QVariant value = entry.decoded->values.value(key);
            return form == KeyForm::Plain ? plainKey(value) : cliKeyOption(value) + shard;
        });
}
