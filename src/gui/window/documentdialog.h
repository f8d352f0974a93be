// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QTextBrowser;

// DocumentDialog: a modeless window showing Markdown — the user guide and the WAL notes built
// into the program (resources), or the keyboard shortcuts. Links to other documents open in it;
// web links open in the browser. GUI thread.
class DocumentDialog : public QDialog {
    Q_OBJECT
public:
    DocumentDialog(const QString& title, const QString& markdown, QWidget* parent = nullptr);
    // The Markdown of a built-in document (":/guide/GUIDE.md"); a line saying why when missing.
    static QString builtIn(const QString& resource);
    QString text() const;

private:
    QTextBrowser* m_browser = nullptr;
};
