// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

struct FanoutDatabases;

// A name from the file as the user should see it on the Overview: elided in the middle, and
// control and bidirectional-override characters shown as \uXXXX, so a table called
// "rtl\u202Eexe.live" cannot pass for another.
QString visibleName(const QString& fullName);

// Each part of a FanoutCache as every page names it (the Overview, the SQL tab, as `info` does), in
// FanoutDatabases::parts() order: "shard 000", "sub-cache index/sessions" (its name from the folder, as visibleName()).
QStringList visiblePartNames(const FanoutDatabases& fanout);
