// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProgressBar>

// FittingProgressBar: a progress bar whose text stays on one line inside the bar. When the whole
// text ("508 / 1,240 frames copied back") is wider than the bar, it shows the words that fit,
// ended at a whole word with "…" ("508 / 1,240 frames…"), and the whole text on hover (before a
// tooltip of its own). QProgressBar's style wrapped a long text onto a second line the bar has
// no room for and cut both (the Activity tab at 600–673 px). GUI thread.
class FittingProgressBar : public QProgressBar {
    Q_OBJECT
public:
    explicit FittingProgressBar(QWidget* parent = nullptr);

    QString text() const override; // what is painted: as much of wholeText() as fits
    QString wholeText() const { return QProgressBar::text(); }
    bool isShortened() const { return text() != wholeText(); }
    int textRoom() const; // the width the text has inside the bar, in pixels

protected:
    bool event(QEvent* event) override;
};
