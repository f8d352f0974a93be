// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QListWidget;
class QPushButton;

// WelcomePage: what the window shows with no cache open — the ways in, as buttons (Open, Open
// Read-Only, Open Folder, Start the Demo) and the recent caches (double-click or Enter opens one).
// It only asks: the window does the opening. GUI thread.
class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    void setRecent(const QStringList& paths);
    QListWidget* recentList() const { return m_recent; }
    QPushButton* demoButton() const { return m_demo; }

Q_SIGNALS:
    void openRequested(bool readOnly);
    void openFolderRequested();
    void demoRequested();
    void recentRequested(const QString& path);

private:
    QListWidget* m_recent = nullptr;
    QPushButton* m_demo = nullptr;
};
