// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/documentdialog.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

DocumentDialog::DocumentDialog(const QString& title, const QString& markdown, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    setAttribute(Qt::WA_DeleteOnClose);
    resize(820, 640);
    auto* layout = new QVBoxLayout(this);
    m_browser = new QTextBrowser(this);
    m_browser->setObjectName(u"documentText"_s);
    m_browser->setOpenExternalLinks(true);
    m_browser->setMarkdown(markdown);
    layout->addWidget(m_browser);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
}

QString DocumentDialog::builtIn(const QString& resource)
{
    QFile file(resource);
    if (!file.open(QIODevice::ReadOnly))
        return tr("This document is not built into this program (%1).").arg(resource);
    return QString::fromUtf8(file.readAll());
}

QString DocumentDialog::text() const
{
    return m_browser->toPlainText();
}
