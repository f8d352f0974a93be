// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;

// OpenRemoteDialog (File ▸ Open Remote…): a cache on another host or in a container — the host
// (ssh: [USER@]HOST[:PORT] or an alias from ~/.ssh/config; or docker://CONTAINER,
// podman://CONTAINER), the absolute path there and the program to run there (empty:
// cachescope-cli on its PATH). Recent remotes are remembered (QSettings "remote/recent", the
// newest first, at most 10) and offered in a list that fills the fields. The address is
// checked as the CLI checks it (CacheAddress) before the dialog accepts.
class OpenRemoteDialog : public QDialog {
    Q_OBJECT
public:
    struct Remote {
        QString address; // ssh://…, docker://…, podman://…
        QString program; // empty: cachescope-cli on the remote PATH
    };
    static constexpr int RecentLimit = 10;

    explicit OpenRemoteDialog(QWidget* parent = nullptr);
    Remote remote() const;
    void setRemote(const Remote& remote);

    static QList<Remote> recent();
    static void remember(const Remote& remote);
    // HOST + PATH as an address: "build" + "/var/c.db" → "ssh://build/var/c.db"; a host already
    // written as docker://C or podman://C keeps its scheme.
    static QString addressOf(const QString& host, const QString& path);

    void accept() override;

private:
    QComboBox* m_recent = nullptr;
    QLineEdit* m_host = nullptr;
    QLineEdit* m_path = nullptr;
    QLineEdit* m_program = nullptr;
    QLabel* m_problem = nullptr;
};
