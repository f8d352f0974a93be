// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/healthwarning.h"

#include <QLabel>

// WarningBanner: the Activity page's health warnings above its facts, each as HealthList::html says it (title, what
// was seen, the fix), with "Convert this cache to WAL…" beside the first whose fix is WAL. One warning is said whole;
// several are their titles, a line each (whole in the tooltip), and whole once the user asks ("Show what each means
// and how to fix it" / "Show less"): three whole took twelve lines of the default window. Hidden when there is none.
// GUI thread.
class WarningBanner : public QLabel {
    Q_OBJECT
public:
    explicit WarningBanner(QWidget* parent = nullptr);
    // offerWal: the conversion link may be offered (a cache is watched).
    void setWarnings(const HealthWarnings& warnings, bool offerWal);
    void clearWarnings();
    QString wholeText() const { return m_whole; } // every warning whole, whatever is shown

Q_SIGNALS:
    void convertToWalRequested();
    void changed(); // the text or its visibility changed: the page lays out again

private:
    void showWarnings();

    QStringList m_parts; // each warning whole
    QStringList m_titles; // each warning's title (and the conversion link)
    QString m_whole;
    bool m_expanded = false; // several warnings shown whole: the user asked for them
};
