// SPDX-License-Identifier: GPL-3.0-or-later
#include "cacheaddress.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace {
struct Scheme {
    QLatin1StringView prefix;
    CacheAddress::Transport transport;
};
constexpr Scheme Schemes[] = {
    { "ssh://"_L1, CacheAddress::Transport::Ssh },
    { "docker://"_L1, CacheAddress::Transport::Docker },
    { "podman://"_L1, CacheAddress::Transport::Podman },
};

Error invalid(const QString& text, const QString& why)
{
    return { Error::Kind::Invalid, u"not a cache address: %1 (%2)"_s.arg(text, why) };
}

// A user or host name ssh gets as one argument: no blanks or controls, and no leading '-'
// (ssh would read "-oProxyCommand=…" as an option).
QString nameProblem(const QString& name, const QString& what)
{
    if (name.isEmpty())
        return u"the %1 is empty"_s.arg(what);
    if (name.startsWith(u'-'))
        return u"the %1 may not start with '-'"_s.arg(what);
    for (const QChar c : name) {
        if (c.isSpace() || c.category() == QChar::Other_Control || c == u'\'' || c == u'"' || c == u'\\')
            return u"the %1 holds a blank, quote or control character"_s.arg(what);
    }
    return {};
}
} // namespace

bool CacheAddress::isRemoteText(const QString& text)
{
    for (const Scheme& scheme : Schemes) {
        if (text.startsWith(scheme.prefix, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

Result<CacheAddress> CacheAddress::parse(const QString& text)
{
    CacheAddress address;
    const Scheme* scheme = nullptr;
    for (const Scheme& candidate : Schemes) {
        if (text.startsWith(candidate.prefix, Qt::CaseInsensitive))
            scheme = &candidate;
    }
    if (!scheme) {
        address.m_path = text;
        return address;
    }
    address.m_transport = scheme->transport;
    const QString rest = text.mid(scheme->prefix.size());
    const qsizetype slash = rest.indexOf(u'/');
    if (slash < 0)
        return invalid(text, u"give the absolute path after the host: %1HOST/PATH"_s.arg(scheme->prefix));
    QString authority = rest.left(slash);
    address.m_path = rest.mid(slash);
    if (address.m_transport != Transport::Ssh) {
        static const QRegularExpression containerName(u"^[A-Za-z0-9][A-Za-z0-9_.-]*$"_s);
        if (!containerName.match(authority).hasMatch())
            return invalid(text, u"a container name is letters, digits, '_', '.' and '-', not \"%1\""_s.arg(authority));
        address.m_host = authority;
        return address;
    }
    if (const qsizetype at = authority.indexOf(u'@'); at >= 0) {
        address.m_user = authority.left(at);
        authority = authority.mid(at + 1);
        if (const QString problem = nameProblem(address.m_user, u"user"_s); !problem.isEmpty())
            return invalid(text, problem);
    }
    QString portText;
    if (authority.startsWith(u'[')) { // [IPv6]:PORT
        const qsizetype close = authority.indexOf(u']');
        if (close < 0)
            return invalid(text, u"an IPv6 address needs its closing ']'"_s);
        address.m_host = authority.mid(1, close - 1);
        const QString after = authority.mid(close + 1);
        if (!after.isEmpty() && !after.startsWith(u':'))
            return invalid(text, u"only ':PORT' may follow ']'"_s);
        portText = after.mid(1);
        if (after.startsWith(u':') && portText.isEmpty())
            return invalid(text, u"the port after ':' is empty"_s);
    } else if (const qsizetype colon = authority.lastIndexOf(u':'); colon >= 0) {
        address.m_host = authority.left(colon);
        portText = authority.mid(colon + 1);
        if (portText.isEmpty())
            return invalid(text, u"the port after ':' is empty"_s);
    } else {
        address.m_host = authority;
    }
    if (const QString problem = nameProblem(address.m_host, u"host"_s); !problem.isEmpty())
        return invalid(text, problem);
    if (address.m_host.contains(u'@'))
        return invalid(text, u"the host holds '@'"_s);
    if (!portText.isEmpty()) {
        bool ok = false;
        const int port = portText.toInt(&ok);
        if (!ok || port < 1 || port > 65535 || !portText.front().isDigit())
            return invalid(text, u"the port must be a number from 1 to 65535, not \"%1\""_s.arg(portText));
        address.m_port = port;
    }
    return address;
}

QString CacheAddress::where() const
{
    switch (m_transport) {
    case Transport::Local:
        return u"this computer"_s;
    case Transport::Docker:
        return u"docker container %1"_s.arg(m_host);
    case Transport::Podman:
        return u"podman container %1"_s.arg(m_host);
    case Transport::Ssh:
        break;
    }
    QString text = m_host.contains(u':') ? u'[' + m_host + u']' : m_host;
    if (!m_user.isEmpty())
        text = m_user + u'@' + text;
    if (m_port > 0)
        text += u':' + QString::number(m_port);
    return text;
}

QString CacheAddress::toString() const
{
    switch (m_transport) {
    case Transport::Local:
        return m_path;
    case Transport::Docker:
        return u"docker://"_s + m_host + m_path;
    case Transport::Podman:
        return u"podman://"_s + m_host + m_path;
    case Transport::Ssh:
        break;
    }
    return u"ssh://"_s + where() + m_path;
}

CacheAddress CacheAddress::withPath(const QString& path) const
{
    CacheAddress other = *this;
    other.m_path = path;
    return other;
}
