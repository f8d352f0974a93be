// SPDX-License-Identifier: GPL-3.0-or-later
// Everything else: docs/FORMATS.md, "Everything else: the generic view".
#include "entries/cacheformats.h"
#include "entries/formatcolumns.h"

using namespace Qt::Literals::StringLiterals;
using namespace FormatColumns;

namespace {

class GenericFormat final : public CacheFormat {
public:
    QString id() const override { return u"generic"_s; }
    bool recognises(const TableSchema&, const QStringList&) const override { return true; }
    std::optional<QList<EntryColumn>> columns(const TableSchema&, const QStringList&) const override
    {
        return std::nullopt; // FormatColumns::genericColumns
    }
    bool isMainTable(const QString&) const override { return false; }
};

} // namespace

const CacheFormat& Formats::generic()
{
    static const GenericFormat format;
    return format;
}
