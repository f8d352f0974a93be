// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/sampler.h"
#include "models/activitysample.h"

#include <QCoreApplication>
#include <QJsonDocument>

// One watch-like line measured now by a Sampler in this process (which holds no SQLite
// connection to the cache: the test only reads it through child processes).
inline ActivitySample measure(Sampler& sampler, qint64 tMs, bool processes = true)
{
    Sampler::Options options;
    options.scanProcesses = processes;
    options.excludePid = QCoreApplication::applicationPid();
    const QJsonObject line = WatchLine::of(sampler.sample(options), tMs).toJson();
    const auto sample = WatchLine::fromJson(QJsonDocument(line).toJson(QJsonDocument::Compact));
    if (!sample)
        qFatal("sample line does not parse");
    return *sample;
}
