// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

// NoticeBanner: a strip above the pages saying what the open did to the cache, or did not do,
// and why — "Converted from DELETE to WAL when opened…" with "Switch back to DELETE", or
// "Opened read-only: … is on a network filesystem". It belongs to the cache shown: the window
// hides it when that cache closes. GUI thread.
class NoticeBanner : public QFrame {
    Q_OBJECT
public:
    explicit NoticeBanner(QWidget* parent = nullptr);

    // Shows text (rich text) with an action button labelled actionText (none when empty).
    void showNotice(const QString& text, const QString& actionText = {});
    void setActionEnabled(bool enabled);
    QString text() const;
    QPushButton* actionButton() const { return m_action; }

Q_SIGNALS:
    void actionTriggered();

private:
    QLabel* m_label = nullptr;
    QPushButton* m_action = nullptr;
};
