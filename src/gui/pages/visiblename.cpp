// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/visiblename.h"

#include "models/fanoutdatabases.h"

#include <QCoreApplication>

#include "common/format.h"

using namespace Qt::Literals::StringLiterals;

QString visibleName(const QString& fullName)
{
    const QString name = Format::elideMiddle(fullName); // a 1 MiB table name stays one short line
    QString out;
    for (const QChar c : name) {
        const bool hidden = c.category() == QChar::Other_Control || c.category() == QChar::Other_Format;
        out += hidden ? u"\\u%1"_s.arg(uint(c.unicode()), 4, 16, QChar(u'0')) : QString(c);
    }
    return out;
}

QStringList visiblePartNames(const FanoutDatabases& fanout)
{
    QStringList names;
    for (const FanoutDatabases::Part& shard : fanout.shards)
        names << QCoreApplication::translate("FanoutDatabases", "shard %1").arg(shard.label);
    for (const FanoutDatabases::Part& sub : fanout.subCaches)
        names << QCoreApplication::translate("FanoutDatabases", "sub-cache %1").arg(visibleName(sub.label));
    return names;
}
