// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMessageBox>

class QPushButton;

// InPlaceReadQuestion: the choice for a cache nobody has open whose -wal holds changes and that
// cannot be copied privately (too big, or too little room in TMPDIR). Read it in place —
// SQLite creates a -shm next to the cache, the database and its -wal stay as they are — or not
// now: free space in TMPDIR, or start CacheScope with TMPDIR set to a folder with room. Cancel is
// the default: nothing is written unless the user says so. The refusal's own words are in the
// details. GUI thread.
class InPlaceReadQuestion : public QMessageBox {
    Q_OBJECT
public:
    InPlaceReadQuestion(const QString& path, const QString& refusal, QWidget* parent = nullptr);

    QPushButton* readInPlaceButton() const { return m_readInPlace; }
    bool readInPlaceChosen() const;
    // Shows the question (modal) and returns whether the user chose to read in place.
    static bool ask(const QString& path, const QString& refusal, QWidget* parent);

private:
    QPushButton* m_readInPlace = nullptr;
};
