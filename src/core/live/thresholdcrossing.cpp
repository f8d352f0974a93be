// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/thresholdcrossing.h"

using namespace Qt::Literals::StringLiterals;

QString ThresholdCrossing::message() const
{
    return code.isEmpty() ? u"%1 (--%2)"_s.arg(description, limit) : u"warning %1: %2"_s.arg(code, description);
}

QJsonObject ThresholdCrossing::toJson() const
{
    QJsonObject object { { u"path"_s, path }, { u"limit"_s, limit }, { u"message"_s, message() } };
    if (code.isEmpty()) {
        object.insert(u"value"_s, value);
        object.insert(u"max"_s, maximum);
    } else {
        object.insert(u"code"_s, code);
    }
    return object;
}
