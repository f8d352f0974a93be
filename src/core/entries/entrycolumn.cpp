// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entrycolumn.h"

using namespace Qt::Literals::StringLiterals;

QString EntryColumn::roleName(Role role)
{
    switch (role) {
    case Role::Key:
        return u"key"_s;
    case Role::Value:
        return u"value"_s;
    case Role::Size:
        return u"size"_s;
    case Role::Created:
        return u"created"_s;
    case Role::Accessed:
        return u"last_access"_s;
    case Role::Expires:
        return u"expires"_s;
    case Role::Hits:
        return u"hits"_s;
    case Role::Model:
        return u"model"_s;
    case Role::Tokens:
        return u"tokens"_s;
    case Role::Expired:
        return u"expired"_s;
    case Role::Other:
        break;
    }
    return QString();
}
