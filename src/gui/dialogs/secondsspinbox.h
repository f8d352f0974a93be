// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDoubleSpinBox>

// SecondsSpinBox: a duration kept in milliseconds, shown and typed in seconds with one decimal
// as the rest of the product writes numbers ("5.0 s", "1,200.0 s": Format::decimal). Its step is
// 0.5 s. milliseconds() is what is saved and used; setMilliseconds() sets it.
class SecondsSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit SecondsSpinBox(QWidget* parent = nullptr);

    int milliseconds() const;
    void setMilliseconds(int milliseconds);
    void setMillisecondsRange(int minimum, int maximum);

protected:
    QString textFromValue(double seconds) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& position) const override;
};
