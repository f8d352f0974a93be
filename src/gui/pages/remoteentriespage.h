// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class RemoteEntryModel;

// RemoteEntriesPage: the entries of a remote cache (RemoteEntryModel: pages through `entries
// --after`, the next one read when the view reaches the end) with a search field (`--search`).
class RemoteEntriesPage : public QWidget {
    Q_OBJECT
public:
    explicit RemoteEntriesPage(QWidget* parent = nullptr);
    void showCache(const QString& address, const QStringList& extraArgs);
    RemoteEntryModel* model() const { return m_model; }
    QLineEdit* searchField() const { return m_search; }

Q_SIGNALS:
    void roundTrip(qint64 ms);
    void failed(const QString& reason);

private:
    QString m_address;
    QStringList m_extraArgs;
    QLineEdit* m_search = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_status = nullptr;
    RemoteEntryModel* m_model = nullptr;
};
