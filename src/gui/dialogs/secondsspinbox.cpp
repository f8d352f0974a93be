// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/secondsspinbox.h"

#include "common/format.h"

#include <cmath>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace {
// "1,200.5 s", "1200.5", " 5 s " -> seconds; nullopt when it is no number.
std::optional<double> secondsIn(QString text, const QString& suffix)
{
    text = text.trimmed();
    if (text.endsWith(suffix.trimmed()))
        text.chop(suffix.trimmed().size());
    text = text.trimmed().remove(u',');
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    return ok ? std::optional<double>(seconds) : std::nullopt;
}
} // namespace

SecondsSpinBox::SecondsSpinBox(QWidget* parent)
    : QDoubleSpinBox(parent)
{
    setDecimals(1);
    setSingleStep(0.5);
    setSuffix(u" s"_s);
}

int SecondsSpinBox::milliseconds() const
{
    return int(std::lround(value() * 1000.0));
}

void SecondsSpinBox::setMilliseconds(int milliseconds)
{
    setValue(milliseconds / 1000.0);
}

void SecondsSpinBox::setMillisecondsRange(int minimum, int maximum)
{
    setRange(minimum / 1000.0, maximum / 1000.0);
}

QString SecondsSpinBox::textFromValue(double seconds) const
{
    return Format::decimal(seconds, decimals());
}

double SecondsSpinBox::valueFromText(const QString& text) const
{
    return secondsIn(text, suffix()).value_or(value());
}

QValidator::State SecondsSpinBox::validate(QString& text, int&) const
{
    QString bare = text.trimmed();
    if (bare.endsWith(suffix().trimmed()))
        bare.chop(suffix().trimmed().size());
    bare = bare.trimmed();
    if (bare.isEmpty())
        return QValidator::Intermediate;
    const auto seconds = secondsIn(text, suffix());
    if (!seconds)
        return bare == u"."_s ? QValidator::Intermediate : QValidator::Invalid;
    if (*seconds > maximum() || *seconds < minimum())
        return QValidator::Intermediate;
    return QValidator::Acceptable;
}
