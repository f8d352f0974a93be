// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/inplacereadquestion.h"

#include "common/format.h"

#include <QDir>
#include <QPushButton>

InPlaceReadQuestion::InPlaceReadQuestion(const QString& path, const QString& refusal, QWidget* parent)
    : QMessageBox(QMessageBox::Question, tr("Read the cache in place?"), QString(), QMessageBox::Cancel, parent)
{
    setObjectName(QStringLiteral("inPlaceReadQuestion"));
    setTextFormat(Qt::RichText);
    setText(tr("<b>%1 is fine, but it cannot be read without writing beside it.</b>")
                .arg(Format::shortName(path).toHtmlEscaped()));
    setInformativeText(
        tr("<p>Its -wal holds changes left by a process that has closed or died. CacheScope reads such a cache "
           "from a private copy in %1, but cannot make one now: it is too big, or there is too little room there "
           "(Show Details says which).</p>"
           "<p><b>Read in place</b>: SQLite creates a <b>-shm</b> file (its shared-memory index) next to the "
           "cache and writes nothing else; the database and its -wal stay as they are.</p>"
           "<p>Or cancel, free space in %1 (or start CacheScope with TMPDIR set to a folder with room) and open "
           "the cache again.</p>")
            .arg(QDir::tempPath().toHtmlEscaped()));
    setDetailedText(refusal);
    m_readInPlace = addButton(tr("Read in Place"), QMessageBox::AcceptRole);
    m_readInPlace->setToolTip(tr("Creates a -shm next to the cache; the database and its -wal are not changed."));
    setDefaultButton(QMessageBox::Cancel);
    setEscapeButton(QMessageBox::Cancel);
}

bool InPlaceReadQuestion::readInPlaceChosen() const
{
    return clickedButton() == m_readInPlace;
}

bool InPlaceReadQuestion::ask(const QString& path, const QString& refusal, QWidget* parent)
{
    InPlaceReadQuestion question(path, refusal, parent);
    question.exec();
    return question.readInPlaceChosen();
}
