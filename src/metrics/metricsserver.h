// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QList>
#include <QObject>

class CacheMonitor;
class QTcpServer;

// MetricsServer: Qt HttpServer serving GET /metrics — every CacheMonitor's last CacheMetrics in the
// Prometheus text format (PrometheusText) — and a short page at / pointing there; anything else is
// 404. listen() binds first through a QTcpServer of its own so that a bad address or a port in
// use comes back with the system's reason. Lives on the main thread.
class MetricsServer : public QObject {
    Q_OBJECT
public:
    explicit MetricsServer(QList<CacheMonitor*> monitors, QObject* parent = nullptr);
    // The port actually bound (port 0: one the system chose), or why not.
    Result<quint16> listen(const QHostAddress& address, quint16 port);
    // "127.0.0.1:9860", "[::1]:9860", "localhost:0" or "9860"/":9860" (localhost); nullopt when not one.
    static std::optional<std::pair<QHostAddress, int>> parseListen(const QString& text, QString* why);
    QByteArray scrape() const;

private:
    QList<CacheMonitor*> m_monitors;
    QHttpServer m_http;
};
