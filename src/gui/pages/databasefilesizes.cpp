// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/databasefilesizes.h"

#include "common/format.h"

using namespace Qt::Literals::StringLiterals;

DatabaseFileSizes::DatabaseFileSizes(const QStringList& paths, const QStringList& names)
    : m_names(names)
{
    for (const QString& path : paths)
        m_files << CacheFiles(path);
}

std::array<DatabaseFileSizes::Sum, CacheFiles::KindCount> DatabaseFileSizes::stat() const
{
    std::array<Sum, CacheFiles::KindCount> sums;
    for (int kind = 0; kind < CacheFiles::KindCount; ++kind) {
        Sum& sum = sums[size_t(kind)];
        QStringList each;
        for (qsizetype part = 0; part < m_files.size(); ++part) {
            const CacheFiles::FileInfo info = m_files.at(part).stat(CacheFiles::Kind(kind));
            if (info.exists) {
                sum.bytes = std::max<qint64>(sum.bytes, 0) + info.bytes;
                ++sum.present;
            }
            each << tr("%1: %2").arg(
                m_names.value(part), info.exists ? Format::bytesNoBreak(info.bytes) : tr("absent"));
        }
        if (m_files.size() > 1)
            sum.each = each.join(u'\n');
    }
    return sums;
}
