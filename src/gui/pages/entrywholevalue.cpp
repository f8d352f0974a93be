// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entrywholevalue.h"

#include "common/format.h"
#include "decode/pickle.h"
#include "entries/valuetext.h"

#include <QCoreApplication>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextDocumentLayout>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QTabWidget>
#include <QTextDocument>
#include <QVBoxLayout>

#include <memory>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace {

const QString ShowScheme = u"cachescope-show-all"_s;
const QString SaveScheme = u"cachescope-save-value"_s;

QString link(const QString& scheme, const QString& column)
{
    QUrl url;
    url.setScheme(scheme);
    url.setPath(column);
    return url.toString(QUrl::FullyEncoded);
}

// A document made on the worker, handed to the GUI thread (deleted there if never shown).
struct MadeDocument {
    struct DeleteLater {
        void operator()(QTextDocument* document) const { document->deleteLater(); }
    };
    std::unique_ptr<QTextDocument, DeleteLater> document;
    QString about;
};

QString sizeText(qint64 length, bool isBinary)
{
    return isBinary ? Format::byteCountScaled(length)
                    : Format::counted(length, EntryWholeValue::tr("character"), EntryWholeValue::tr("characters"));
}

} // namespace

EntryWholeValue::EntryWholeValue(QTabWidget* tabs, QObject* parent)
    : QObject(parent)
    , m_tabs(tabs)
{
}

QString EntryWholeValue::showLink(const QString& column)
{
    return link(ShowScheme, column);
}

QString EntryWholeValue::saveLink(const QString& column)
{
    return link(SaveScheme, column);
}

QString EntryWholeValue::textOf(const StoredValue& value)
{
    if (value.isBinary())
        return ValueText::hexDump(value.bytes, int(value.bytes.size()), value.bytes.size());
    return Format::escapeControl(QString::fromUtf8(value.bytes), true);
}

QString EntryWholeValue::unpickledText(const QByteArray& bytes, bool* cut)
{
    if (!Pickle::looksLikePickle(bytes))
        return QString();
    Pickle::Limits limits;
    limits.maxNodes = int(MaxChars); // every item of it (at most MaxBytes of pickle)…
    limits.maxChars = MaxChars; // …but no more text than is shown whole (a pickle of [s] * 1,000,000 is small)
    QString repr;
    bool truncated = false;
    if (!Pickle::decode(bytes, limits, &truncated, &repr))
        return QString();
    if (repr.size() > MaxChars) { // the last string written past the budget
        repr.truncate(MaxChars);
        repr += u"…"_s;
        truncated = true;
    }
    *cut = truncated;
    return repr;
}

QTextDocument* EntryWholeValue::document(const QString& text, const QFont& font, bool* lineBroken)
{
    // '\n' ends a block; U+2028 breaks a line inside one. Each line boundary gets one of the two.
    QString joined;
    joined.reserve(text.size() + text.size() / BlockChars + 1);
    qsizetype inBlock = 0;
    bool first = true;
    const auto separate = [&](qsizetype length, bool lineStart) {
        if (first) {
            first = false;
        } else if (lineStart && inBlock > 0 && inBlock + length < BlockChars) {
            joined += QChar::LineSeparator;
            ++inBlock;
        } else {
            joined += u'\n';
            inBlock = 0;
        }
    };
    if (lineBroken)
        *lineBroken = false;
    qsizetype at = 0;
    for (;;) {
        qsizetype end = text.indexOf(u'\n', at);
        if (end < 0)
            end = text.size();
        const QStringView line = QStringView(text).mid(at, end - at);
        if (line.size() <= BlockChars) {
            separate(line.size(), true);
            joined += line;
            inBlock += line.size();
        } else {
            if (lineBroken)
                *lineBroken = true;
            for (qsizetype piece = 0; piece < line.size(); piece += BlockChars) {
                const QStringView part = line.mid(piece, BlockChars);
                separate(part.size(), piece == 0);
                joined += part;
                inBlock += part.size();
            }
        }
        if (end >= text.size())
            break;
        at = end + 1;
    }
    auto* document = new QTextDocument;
    document->setUndoRedoEnabled(false);
    document->setDocumentLayout(new QPlainTextDocumentLayout(document));
    document->setDefaultFont(font);
    document->setPlainText(joined);
    return document;
}

void EntryWholeValue::show(EntryTableModel* model, int row, const QString& column)
{
    const CancelToken token = m_read.start();
    if (m_page) // the value shown before goes at once
        showDocument(column, tr("Reading “%1” whole…").arg(Format::escapeControl(column)), nullptr, false);
    auto made = std::make_shared<MadeDocument>();
    const QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    model->readColumn(
        row, column, this,
        [this, token, made, column](Result<EntryTableModel::StoredColumn> stored) {
            if (!m_read.isCurrent(token))
                return;
            if (!stored) {
                showDocument(column, stored.error().message, nullptr);
                return;
            }
            showDocument(column, made->about, made->document.release());
        },
        [column, made, font, guiThread = QCoreApplication::instance()->thread()](
            EntryTableModel::StoredColumn& stored) {
            // on the worker: the text, its blocks and their parsing take a while for millions of characters
            if (!stored.value) {
                made->about = tr("This entry is no longer in the cache.");
                return QString();
            }
            const StoredValue value = std::exchange(*stored.value, StoredValue());
            const bool isBinary = value.isBinary();
            if (!fits(value.length, isBinary)) {
                made->about = tr("“%1” holds %2: more than is shown whole here (%3). Save it to a file from the Entry "
                                 "tab to read it.")
                                  .arg(Format::escapeControl(column), sizeText(value.length, isBinary),
                                      sizeText(isBinary ? MaxBytes : MaxChars, isBinary));
                return QString();
            }
            // A pickle as the form and the JSON tree show it, not its bytes (#23.3: Show all gave a hex dump).
            bool cut = false;
            const QString unpickled = isBinary ? unpickledText(value.bytes, &cut) : QString();
            const QString text = unpickled.isEmpty() ? textOf(value) : unpickled;
            made->about = tr("“%1”, %2, shown whole%3.")
                              .arg(Format::escapeControl(column), sizeText(value.length, isBinary),
                                  !unpickled.isEmpty()
                                      ? (cut ? tr(", unpickled as Python's repr() writes it (cut where it says “…”)")
                                             : tr(", unpickled as Python's repr() writes it"))
                                      : isBinary ? tr(" as a hex dump")
                                                 : QString());
            bool lineBroken = false;
            QTextDocument* document = EntryWholeValue::document(text, font, &lineBroken);
            if (lineBroken)
                made->about += tr(" Lines longer than %1 characters are shown broken at every %1.")
                                   .arg(Format::count(BlockChars));
            document->moveToThread(guiThread);
            made->document.reset(document);
            return QString();
        });
}

void EntryWholeValue::save(EntryTableModel* model, int row, const QString& column, const QString& path)
{
    model->readColumn(
        row, column, this,
        [this](Result<EntryTableModel::StoredColumn> stored) {
            Q_EMIT saved(stored ? stored->rendered : stored.error().message);
        },
        [column, path](EntryTableModel::StoredColumn& stored) {
            // on the worker: the bytes as read are written as they are, then let go
            if (!stored.value) // as Show all says it
                return tr("This entry is no longer in the cache: nothing was saved.");
            if (stored.value->type == StoredValue::Type::Null)
                return tr("“%1” of this entry holds no value to save.").arg(Format::escapeControl(column));
            const StoredValue value = std::exchange(*stored.value, StoredValue());
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(value.bytes) != value.bytes.size() || !file.commit())
                return tr("Could not save “%1” to %2: %3").arg(Format::escapeControl(column), path, file.errorString());
            return tr("Saved %1 of “%2” to %3.")
                .arg(sizeText(value.length, value.isBinary()), Format::escapeControl(column), path);
        });
}

void EntryWholeValue::showDocument(const QString& column, const QString& about, QTextDocument* document, bool read)
{
    if (!m_page) {
        m_page = new QWidget;
        m_page->setObjectName(u"wholeValuePage"_s);
        auto* layout = new QVBoxLayout(m_page);
        layout->setContentsMargins(4, 4, 4, 4);
        m_about = new QLabel(m_page);
        m_about->setWordWrap(true);
        m_about->setTextFormat(Qt::PlainText);
        m_view = new QPlainTextEdit(m_page);
        m_view->setObjectName(u"wholeValue"_s);
        m_view->setReadOnly(true);
        m_view->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        m_view->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        layout->addWidget(m_about);
        layout->addWidget(m_view, 1);
        m_tabs->insertTab(1, m_page, QString());
    }
    m_tabs->setTabText(m_tabs->indexOf(m_page), tr("%1 (whole)").arg(Format::shortName(column, 40)));
    m_about->setText(about);
    if (!document) {
        document = new QTextDocument;
        document->setDocumentLayout(new QPlainTextDocumentLayout(document));
    }
    QTextDocument* before = m_view->document();
    const bool ours = before && before->parent() == m_view; // else the view's first one, which setDocument deletes
    document->setParent(m_view);
    m_view->setDocument(document);
    if (ours)
        before->deleteLater(); // a big one goes in an event of its own
    m_tabs->setCurrentWidget(m_page);
    if (read)
        Q_EMIT shown();
}

void EntryWholeValue::clear()
{
    m_read.drop();
    if (m_page) {
        if (m_tabs->currentWidget() == m_page)
            m_tabs->setCurrentIndex(0); // the form
        m_tabs->removeTab(m_tabs->indexOf(m_page));
        m_page->deleteLater(); // its document with it, in an event of its own
        m_page = nullptr;
        m_view = nullptr;
        m_about = nullptr;
    }
}

QString EntryWholeValue::shownText() const
{
    return m_view ? m_view->toPlainText() : QString();
}

bool EntryWholeValue::isShown() const
{
    return !m_page.isNull();
}
