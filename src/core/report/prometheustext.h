// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "report/cachemetrics.h"

#include <QByteArray>
#include <QList>

// PrometheusText: caches' CacheMetrics in the Prometheus text exposition format (version 0.0.4):
// one `# HELP` and `# TYPE` per family, one sample per cache labelled `path` and `format`
// (label values escaped: backslash, double quote, newline). A value a cache does not have yet
// (write-lock share before 5 samples, entries before the first count, value files of a format
// that keeps none) is left out, never reported as 0. `cachescope_health_warning{code}` is 1 for
// each warning now raised and 0 for every other code of WarningCatalog, so an alert can compare
// it without absent series. Pure; any thread.
class PrometheusText {
public:
    static constexpr const char* ContentType = "text/plain; version=0.0.4; charset=utf-8";
    static QByteArray render(const QList<CacheMetrics>& caches);
    static QByteArray escapeLabel(const QString& value);
};
