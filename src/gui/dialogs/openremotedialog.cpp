// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/openremotedialog.h"

#include "remote/cacheaddress.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString RecentKey = u"remote/recent"_s;
}

OpenRemoteDialog::OpenRemoteDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Open Remote Cache"));
    auto* form = new QFormLayout(this);
    m_recent = new QComboBox(this);
    m_recent->addItem(tr("—"));
    for (const Remote& remote : recent())
        m_recent->addItem(remote.address, remote.program);
    m_host = new QLineEdit(this);
    m_host->setPlaceholderText(tr("user@host:port, an ssh alias, docker://container or podman://container"));
    m_path = new QLineEdit(this);
    m_path->setPlaceholderText(tr("/absolute/path/cache.db or a cache folder, on that host"));
    m_program = new QLineEdit(this);
    m_program->setPlaceholderText(tr("cachescope-cli (on the remote PATH)"));
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->hide();
    form->addRow(tr("Recent:"), m_recent);
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("&Path there:"), m_path);
    form->addRow(tr("Remote &program:"), m_program);
    form->addRow(new QLabel(tr("CacheScope runs the program there through ssh (your ssh config, keys and agent; "
                               "it never asks for a password and never accepts an unknown host key) and reads its "
                               "answers: no lock or file crosses the network."),
        this));
    form->addRow(m_problem);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &OpenRemoteDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &OpenRemoteDialog::reject);
    connect(m_recent, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            setRemote({ m_recent->itemText(index), m_recent->itemData(index).toString() });
    });
}

QString OpenRemoteDialog::addressOf(const QString& host, const QString& path)
{
    const QString trimmed = host.trimmed();
    QString place = CacheAddress::isRemoteText(trimmed) ? trimmed : u"ssh://"_s + trimmed;
    while (place.endsWith(u'/') && !place.endsWith(u"://"_s))
        place.chop(1);
    return place + (path.startsWith(u'/') ? path : u'/' + path);
}

OpenRemoteDialog::Remote OpenRemoteDialog::remote() const
{
    return { addressOf(m_host->text(), m_path->text()), m_program->text().trimmed() };
}

void OpenRemoteDialog::setRemote(const Remote& remote)
{
    const auto address = CacheAddress::parse(remote.address);
    if (!address || !address->isRemote())
        return;
    const QString scheme = remote.address.section(u"://"_s, 0, 0);
    m_host->setText(scheme == u"ssh"_s ? address->where() : scheme + u"://"_s + address->host());
    m_path->setText(address->path());
    m_program->setText(remote.program);
}

void OpenRemoteDialog::accept()
{
    if (m_host->text().trimmed().isEmpty() || m_path->text().trimmed().isEmpty()) {
        m_problem->setText(tr("Give the host and the path of the cache there."));
        m_problem->show();
        return;
    }
    const auto address = CacheAddress::parse(remote().address);
    if (!address) {
        m_problem->setText(address.error().message);
        m_problem->show();
        return;
    }
    QDialog::accept();
}

QList<OpenRemoteDialog::Remote> OpenRemoteDialog::recent()
{
    QList<Remote> list;
    for (const QVariant& item : QSettings().value(RecentKey).toList()) {
        const QVariantMap map = item.toMap();
        if (CacheAddress::isRemoteText(map.value(u"address"_s).toString()))
            list.append({ map.value(u"address"_s).toString(), map.value(u"program"_s).toString() });
    }
    return list;
}

void OpenRemoteDialog::remember(const Remote& remote)
{
    QVariantList list { QVariantMap { { u"address"_s, remote.address }, { u"program"_s, remote.program } } };
    for (const Remote& old : recent()) {
        if (old.address != remote.address && list.size() < RecentLimit)
            list.append(QVariantMap { { u"address"_s, old.address }, { u"program"_s, old.program } });
    }
    QSettings().setValue(RecentKey, list);
}
