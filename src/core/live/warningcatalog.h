// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

// WarningCatalog: the one registry of health warnings — each code (the JSON contract's "code",
// docs/CLI.md), its title in plain words and the remedy a developer applies (HTML: <code> and
// <i> only). HealthCheck and WalResetBug decide when a warning applies and say what they saw;
// the GUI's Activity banner and Overview health panel take the title and remedy from here.
// Titles and remedies are translated at lookup (context "WarningCatalog"). Any thread.
class WarningCatalog {
public:
    struct Entry {
        QString code;
        QString title;
        QString remedy; // may be empty
        bool offersWal = false; // WAL is the remedy: the GUI puts "Convert to WAL…" beside it
    };
    static const QList<Entry>& all(); // untranslated
    static const Entry* find(const QString& code);
    static QString title(const QString& code); // the code itself when unknown
    static QString remedy(const QString& code); // empty when none or unknown
    static bool offersWal(const QString& code);
};
