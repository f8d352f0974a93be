// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

// HealthWarning: something a developer would want pointed out about a cache, with a stable
// machine code (the JSON contract's "code") and a plain-language message.
struct HealthWarning {
    QString code; // not_wal, network_filesystem, checkpoint_starved, …
    QString message;

    QJsonObject toJson() const
    {
        return QJsonObject { { QStringLiteral("code"), code }, { QStringLiteral("message"), message } };
    }
    static HealthWarning fromJson(const QJsonObject& json) // toJson()'s object read back
    {
        return { json[QStringLiteral("code")].toString(), json[QStringLiteral("message")].toString() };
    }
    bool operator==(const HealthWarning& other) const { return code == other.code && message == other.message; }
};
using HealthWarnings = QList<HealthWarning>;
