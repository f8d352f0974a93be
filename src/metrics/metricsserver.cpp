// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/metricsserver.h"

#include "metrics/cachemonitor.h"
#include "report/prometheustext.h"

#include <QHttpServerResponse>
#include <QTcpServer>

using namespace Qt::Literals::StringLiterals;

MetricsServer::MetricsServer(QList<CacheMonitor*> monitors, QObject* parent)
    : QObject(parent)
    , m_monitors(std::move(monitors))
{
    m_http.route(
        u"/metrics"_s, [this] { return QHttpServerResponse(QByteArray(PrometheusText::ContentType), scrape()); });
    m_http.route(u"/"_s, [] {
        return QHttpServerResponse(QByteArray("text/html; charset=utf-8"),
            QByteArray("<html><body><p>CacheScope metrics: <a href=\"/metrics\">/metrics</a></p></body></html>\n"));
    });
}

QByteArray MetricsServer::scrape() const
{
    QList<CacheMetrics> caches;
    for (const CacheMonitor* monitor : m_monitors) {
        if (auto metrics = monitor->metrics())
            caches.append(*metrics);
    }
    return PrometheusText::render(caches);
}

Result<quint16> MetricsServer::listen(const QHostAddress& address, quint16 port)
{
    auto* server = new QTcpServer(this);
    if (!server->listen(address, port)) {
        const QString reason = server->errorString();
        delete server;
        return Error { Error::Kind::Other,
            u"cannot listen on %1 port %2: %3"_s.arg(address.toString()).arg(port).arg(reason) };
    }
    m_http.bind(server);
    return server->serverPort();
}

std::optional<std::pair<QHostAddress, int>> MetricsServer::parseListen(const QString& text, QString* why)
{
    QString host = u"localhost"_s;
    QString portText = text.trimmed();
    const qsizetype colon = portText.lastIndexOf(u':');
    if (colon >= 0) {
        host = portText.left(colon);
        portText = portText.mid(colon + 1);
        if (host.startsWith(u'[') && host.endsWith(u']'))
            host = host.mid(1, host.size() - 2);
        if (host.isEmpty())
            host = u"localhost"_s;
    }
    bool ok = false;
    const int port = portText.toInt(&ok);
    if (!ok || port < 0 || port > 65535) {
        *why = u"not a port (0–65535): \"%1\""_s.arg(portText.left(40));
        return std::nullopt;
    }
    QHostAddress address;
    if (host == u"localhost"_s)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host)) {
        *why = u"not an IP address (or localhost): \"%1\""_s.arg(host.left(80));
        return std::nullopt;
    }
    return std::pair { address, port };
}
