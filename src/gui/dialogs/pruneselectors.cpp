// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/pruneselectors.h"

#include "common/format.h"
#include "tasks/backgroundtask.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

using namespace Qt::Literals::StringLiterals;

QCheckBox* PruneSelectors::checkFor(QLineEdit* edit, const QString& text)
{
    auto* box = new QCheckBox(text);
    QObject::connect(edit, &QLineEdit::textEdited, box, [box] { box->setChecked(true); });
    return box;
}

PruneSelectors::PruneSelectors(QWidget* parent)
    : QWidget(parent)
{
    auto* form = new QFormLayout(this);
    m_expired = new QCheckBox(tr("Expired (the cache format's own expiry time has passed)"));
    m_expired->setObjectName(u"expiredBox"_s);
    form->addRow(m_expired);
    m_older = new QLineEdit(u"30d"_s);
    m_older->setObjectName(u"olderEdit"_s);
    m_older->setToolTip(tr("90s, 30m, 12h, 30d, 2w"));
    form->addRow(m_olderCheck = checkFor(m_older, tr("Created more than")),
        withMeaning(m_older, u"olderMeaning"_s, [](const QString& text) {
            const auto secs = PruneSelection::parseDuration(text);
            return secs ? tr("%1 ago").arg(PruneSelection::durationWords(*secs))
                        : tr("not a duration: write 30d, 12h…");
        }));
    m_match = new QLineEdit;
    m_match->setObjectName(u"matchEdit"_s);
    m_match->setPlaceholderText(tr("text in the key or prompt"));
    m_match->setToolTip(tr("Text in the key or prompt, also inside pickled values: what the Entries filter finds."));
    form->addRow(m_matchCheck = checkFor(m_match, tr("Containing")), m_match);
    m_group = new QLineEdit;
    m_group->setObjectName(u"groupEdit"_s);
    m_group->setPlaceholderText(tr("a model, diskcache tag or host, as the Overview lists them"));
    form->addRow(m_groupCheck = checkFor(m_group, tr("In the group")), m_group);
    m_budget = new QLineEdit(u"1G"_s);
    m_budget->setObjectName(u"budgetEdit"_s);
    m_budget->setToolTip(tr("Remove the first entries the library would evict until the rest fit: 500M, 1G, …"));
    form->addRow(m_budgetCheck = checkFor(m_budget, tr("Beyond a budget of")),
        withMeaning(m_budget, u"budgetMeaning"_s, [](const QString& text) {
            const auto bytes = PruneSelection::parseSize(text);
            return bytes ? Format::bytesNoBreak(*bytes) : tr("not a size: write 500M, 1G…");
        }));
    m_table = new QComboBox;
    m_table->setObjectName(u"tableBox"_s);
    m_table->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_table->setPlaceholderText(tr("the cache format's entries table"));
    form->insertRow(0, tr("Table:"), m_table);
    m_tableText = new QLabel;
    m_tableText->setObjectName(u"tableText"_s);
    m_tableText->setWordWrap(true);
    m_tableText->hide();
    form->insertRow(1, m_tableText);
    connect(m_table, &QComboBox::currentIndexChanged, this, [this] {
        showTableChoices();
        Q_EMIT changed();
    });
    connect(m_table, &QComboBox::editTextChanged, this, &PruneSelectors::changed);
    for (QCheckBox* check : { m_expired, m_olderCheck, m_matchCheck, m_groupCheck, m_budgetCheck })
        connect(check, &QCheckBox::toggled, this, &PruneSelectors::changed);
    for (QLineEdit* edit : { m_older, m_match, m_group, m_budget })
        connect(edit, &QLineEdit::textChanged, this, &PruneSelectors::changed);
}

QWidget* PruneSelectors::withMeaning(
    QLineEdit* edit, const QString& name, const std::function<QString(const QString&)>& meaning)
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    edit->setMaximumWidth(edit->fontMetrics().horizontalAdvance(u"0000000000"_s) + 16); // "1.5GiB", "90m"
    layout->addWidget(edit);
    auto* label = new QLabel(meaning(edit->text()));
    label->setObjectName(name);
    label->setStyleSheet(u"color: gray"_s);
    layout->addWidget(label, 1);
    connect(
        edit, &QLineEdit::textChanged, label, [label, meaning](const QString& text) { label->setText(meaning(text)); });
    return row;
}

void PruneSelectors::readTables(const QString& dbPath)
{
    m_table->setPlaceholderText(tr("reading the tables…"));
    BackgroundTask::run<Result<PruneTables>>(
        this, [dbPath] { return PruneTables::read(dbPath); },
        [this](Result<PruneTables> tables) { showTables(tables); });
}

void PruneSelectors::awaitTablesThere()
{
    m_table->setPlaceholderText(tr("asking the cache's host…"));
}

void PruneSelectors::showTablesThere(const CacheSummary& summary)
{
    m_table->setPlaceholderText(QString());
    m_there = true;
    m_tables = {};
    const auto main = std::find_if(summary.tables.cbegin(), summary.tables.cend(),
        [&summary](const CacheSummary::Table& table) { return table.name == summary.mainTable; });
    if (main != summary.tables.cend() && main->profile != u"generic"_s) {
        PruneTables::Table table;
        table.name = main->name;
        table.profile = main->profile;
        table.isMain = true;
        m_tables.tables << table;
    } else {
        for (const CacheSummary::Table& generic : summary.tables) {
            PruneTables::Table table;
            table.name = generic.name;
            table.profile = generic.profile;
            m_tables.tables << table;
        }
    }
    listTables();
    Q_EMIT tablesRead();
}

void PruneSelectors::showTables(const Result<PruneTables>& tables)
{
    m_table->setPlaceholderText(QString());
    if (!tables) {
        m_tableText->setText(tr("The tables could not be read: %1").arg(tables.error().message.toHtmlEscaped()));
        m_tableText->show();
        Q_EMIT tablesRead();
        return;
    }
    m_tables = tables.value();
    listTables();
    Q_EMIT tablesRead();
}

void PruneSelectors::listTables()
{
    {
        const QSignalBlocker quiet(m_table); // the main table of a known format is what was chosen already
        m_table->clear();
        for (const PruneTables::Table& table : m_tables.tables) {
            if (table.isMain) // the selection names no table: the format's entries table
                m_table->addItem(tr("%1 (%2 entries)").arg(table.name, table.profile), QString());
            else
                m_table->addItem(table.name, table.name);
        }
    }
    showTableChoices();
    if (m_tables.generic())
        Q_EMIT changed(); // a choice made before named no table, which such a database needs
}

QString PruneSelectors::tableText() const
{
    return m_tableText->text();
}

void PruneSelectors::showTableChoices()
{
    const auto index = m_table->currentIndex();
    if (index < 0 || index >= m_tables.tables.size()) {
        m_tableText->setText(tr("No table of this database can be pruned: entries are removed by rowid, and none of "
                                "its tables has one."));
        m_tableText->show();
        for (QCheckBox* check : { m_expired, m_olderCheck, m_matchCheck, m_groupCheck, m_budgetCheck }) {
            check->setChecked(false);
            check->setEnabled(false);
        }
        return;
    }
    const PruneTables::Table& table = m_tables.tables[index];
    if (m_there) { // what it can be pruned by is read there, when the prune runs
        for (QCheckBox* check : { m_expired, m_olderCheck, m_matchCheck, m_groupCheck, m_budgetCheck }) {
            check->setEnabled(true);
            check->setToolTip(QString());
        }
        for (QLineEdit* field : { m_older, m_group, m_budget })
            field->setEnabled(true);
        m_tableText->setText(tr("What %1 can be pruned by is checked where the cache lives: the preview says when a "
                                "choice does not fit it.")
                                 .arg(table.name)
                                 .toHtmlEscaped());
        m_tableText->show();
        return;
    }
    struct Offer {
        QCheckBox* check;
        QWidget* field;
        bool can;
        QString what;
        QString why;
    };
    const QList<Offer> offers {
        { m_expired, nullptr, table.expiry, tr("expired"), tr("it keeps no expiry time") },
        { m_olderCheck, m_older, !table.createdColumn.isEmpty(), tr("by age"),
            tr("none of its columns reads as a creation time") },
        { m_groupCheck, m_group, !table.groupBy.isEmpty(), tr("in a group"),
            tr("it has no model, tag or host to group by") },
        { m_budgetCheck, m_budget, table.budget, tr("beyond a budget"), tr("it keeps no value or size to add up") },
    };
    QStringList nots;
    for (const Offer& offer : offers) {
        offer.check->setEnabled(offer.can);
        if (offer.field)
            offer.field->setEnabled(offer.can);
        offer.check->setToolTip(offer.can ? QString() : tr("Not for table %1: %2.").arg(table.name, offer.why));
        if (!offer.can) {
            offer.check->setChecked(false);
            nots << tr("%1 (%2)").arg(offer.what, offer.why);
        }
    }
    m_matchCheck->setEnabled(true);
    m_olderCheck->setText(table.profile == u"generic"_s && !table.createdColumn.isEmpty()
            ? tr("%1 more than").arg(table.createdColumn)
            : tr("Created more than"));
    QStringList lines;
    if (table.profile == u"generic"_s) {
        m_match->setPlaceholderText(tr("text in any of its columns"));
        m_matchCheck->setText(tr("Containing"));
        lines << (table.createdColumn.isEmpty()
                ? tr("%1 is a table of no known cache format: its rows can be chosen by text in any of its columns.")
                      .arg(table.name)
                : tr("%1 is a table of no known cache format: its rows can be chosen by text in any of its columns, "
                     "and by age from its column %2.")
                      .arg(table.name, table.createdColumn));
    }
    if (!nots.isEmpty())
        lines << tr("Not offered for %1: %2.").arg(table.name, nots.join(u"; "_s));
    m_tableText->setText(lines.join(u' ').toHtmlEscaped());
    m_tableText->setVisible(!lines.isEmpty());
}

PruneSelection PruneSelectors::selection(QString* problem) const
{
    PruneSelection selection;
    QString why;
    selection.table = m_table->currentData().toString();
    if (m_expired->isChecked())
        selection.filter.expiry = EntryFilter::Expiry::ExpiredOnly;
    if (m_matchCheck->isChecked() && !m_match->text().isEmpty())
        selection.filter.text = m_match->text();
    if (m_groupCheck->isChecked())
        selection.group = m_group->text();
    if (m_olderCheck->isChecked()) {
        if (const auto secs = PruneSelection::parseDuration(m_older->text()))
            selection.olderThanSecs = *secs;
        else
            why = tr("\"%1\" is no duration: write 90s, 30m, 12h, 30d or 2w.").arg(m_older->text());
    }
    if (m_budgetCheck->isChecked()) {
        if (const auto bytes = PruneSelection::parseSize(m_budget->text()))
            selection.maxBytes = *bytes;
        else
            why = tr("\"%1\" is no size: write 500M, 1G or a number of bytes.").arg(m_budget->text());
    }
    if (why.isEmpty() && selection.isEmpty()) {
        QStringList can;
        const std::pair<QCheckBox*, QString> offers[]
            = { { m_expired, tr("expired") }, { m_olderCheck, tr("by age") }, { m_matchCheck, tr("containing a text") },
                  { m_groupCheck, tr("in a group") }, { m_budgetCheck, tr("beyond a budget") } };
        for (const auto& [check, words] : offers) {
            if (check->isEnabled())
                can << words;
        }
        why = m_tables.tables.isEmpty()
            ? tr("Choose which entries go: expired, created before, containing, in a group or beyond a budget.")
            : tr("Choose which entries go (%1), then Preview.").arg(can.join(u", "_s));
    }
    if (problem)
        *problem = why;
    return selection;
}
