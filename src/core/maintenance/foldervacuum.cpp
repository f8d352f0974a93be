// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/foldervacuum.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

Status FolderVacuum::checkInto(const QString& into)
{
    if (into.trimmed().isEmpty())
        return Error { Error::Kind::Invalid, u"the target folder is empty: give the new folder to write"_s };
    const QFileInfo info(into);
    if (info.exists() || info.isSymLink()) {
        if (!info.isDir() || info.isSymLink())
            return Error { Error::Kind::Invalid,
                u"refusing to overwrite %1: it already exists (a FanoutCache copy needs a new or empty folder)"_s.arg(
                    into) };
        if (!QDir(into).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
            return Error { Error::Kind::Invalid,
                u"the folder %1 is not empty: a FanoutCache copy needs a folder of its own"_s.arg(into) };
    } else if (!QFileInfo(info.absolutePath()).isDir()) {
        return Error { Error::Kind::Invalid, u"the folder for %1 does not exist"_s.arg(into) };
    }
    return {};
}

Result<QList<FolderVacuum::Part>> FolderVacuum::run(
    const CacheFolder& folder, const Vacuum::Options& options, const Before& before, const After& after)
{
    const bool into = !options.intoPath.isEmpty();
    if (into && !QFileInfo(options.intoPath).isDir() && !QDir().mkdir(options.intoPath))
        return Error { Error::Kind::Io, u"cannot create the folder %1"_s.arg(options.intoPath) };
    QList<Part> parts;
    const QStringList databases = folder.everyDatabase();
    const QStringList labels = folder.labels();
    for (qsizetype i = 0; i < databases.size(); ++i) {
        Part part { labels.at(i), i < folder.databases.size(), folder.partName(i), {} };
        Vacuum::Options one = options;
        if (into) {
            one.intoPath = options.intoPath + u'/' + part.label;
            // A sub-cache's parent folders (INTO/index, INTO/cache/a for cache('a/b')) first.
            const QString parent = QFileInfo(one.intoPath).absolutePath();
            if (!QFileInfo(parent).isDir() && !QDir().mkpath(parent))
                return Error { Error::Kind::Io, u"%1: cannot create the folder %2"_s.arg(part.what, parent) };
        }
        if (before) {
            if (Status ready = before(part.what, databases.at(i)); !ready)
                return ready.error();
        }
        auto outcome = Vacuum::run(databases.at(i), one);
        if (!outcome)
            return Error { outcome.error().kind, u"%1: %2"_s.arg(part.what, outcome.error().message) };
        part.outcome = std::move(outcome.value());
        if (after)
            after(part);
        parts << part;
        if (part.outcome.cancelled || part.outcome.cancelledAfterCommit)
            break;
    }
    return parts;
}
