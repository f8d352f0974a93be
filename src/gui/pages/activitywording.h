// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/activitysample.h"

#include <QCoreApplication>
#include <QString>

// ActivityWording: the Activity tab's figures of one sample in words — how busy the write lock
// was, how many commits were counted, and how commits are counted and writers named. Pure
// functions of the sample (no widgets); any thread.
class ActivityWording {
    Q_DECLARE_TR_FUNCTIONS(ActivityWording)
public:
    // The write-lock contention figure in plain words ("35% of the last 10 s — …"), with the
    // rollback-mode lock and how many processes have the database open for writing.
    // "measuring…" until busyShown(): never a share beside the rates' "measuring…" (#28).
    static QString contentionText(const ActivitySample& sample);
    // The write lock's share is said only over as long a span as a rate is (ActivitySample::ratesShown: ≥ 1 s, the
    // same samples): over its first samples one sample more swings it by tens of percent ("100% of the last 98 ms"
    // beside "measuring…", #28).
    static bool busyShown(const ActivitySample& sample);
    // A rollback journal's lock name in plain words: "reserved" -> "a process is about to write;
    // others can still read" (#28 review: the lock names on Activity explained).
    static QString lockMeaning(const QString& lock);
    // "1,204 commits since watching began", "≥ 1,204 …" when some may have been missed, or
    // "… not counted" when the total is not known (never "≥ 0" beside a rate).
    static QString commitsSinceText(const ActivitySample& sample);
    // How commits are counted and writers named (fanotify or sampled), and what it cannot see:
    // the whole account, for a tooltip.
    static QString attributionText(const ActivitySample& sample);
    // fanotify, and every commit of the last 10 s went to the one process heard writing it
    // (watch's writers_exact): only then are writers and their commits said to be exact.
    static bool exactNames(const ActivitySample& sample);
    // "the last 3.4 s", "the last 10 s": what a rate (ActivitySample::ratesShown) was measured over.
    static QString rateSpanText(const ActivitySample& sample);
    // What the write lock's share and the writers' list cover: the samples of the last 10 s, fewer while watching
    // has not lasted that long ("the last 3.4 s"; "the first samples" before the rates have a span).
    static QString busySpanText(const ActivitySample& sample);
    // "PID 7 (python3)", "PID 7" without a name, and for a pid /proc/locks does not give (0, -1) "a process
    // CacheScope cannot see (…)": never "PID 0".
    static QString holderName(qint64 pid, const QString& name);
    // Commits were counted over the window but no writer was named (the sampled method missed it, or its pid is not
    // visible): countedUnnamed(), and "≈8 commits in the last 3.4 s, writer not identified" — never "nobody".
    static bool countedUnnamed(const ActivitySample& sample);
    static QString unnamedCommitsText(const ActivitySample& sample);
    // The Activity tab's WAL box: the rates with their span and the commits since watching began
    // ("measuring…" under a second), how exact they are (its tooltip), and the state of the sidecar files.
    static QString ratesText(const ActivitySample& sample);
    static QString ratesToolTip(const ActivitySample& sample);
    static QString filesStateText(const ActivitySample& sample);
    // A writer's commits over the rates' window (the last 10 s, or since watching began): "5 commits", "≈5 commits"
    // unless exactNames(). Empty before that window covers a second — the first sample's count is over 0.1 s, no count
    // to show beside "measuring…" (#28) — or when some of its commits were not attributed. Both pages say it.
    static QString writerCommits(const ActivitySample& sample, const ActivitySample::Writer& writer);
    // "Wrote lately" on the Activity tab: "PID 7 (python3) — ≈5 commits" (the Overview: "PID 7 (python3, ≈5 commits)").
    static QString wroteLately(const ActivitySample& sample, const ActivitySample::Writer& writer);
    // "Wrote lately" whole: every recent writer (wroteLately), and the window their commits are over said once where
    // it reads as the whole list's — after one writer ("PID 7 (python3) — 12 commits (in the last 3.4 s)"), before
    // several ("In the last 3.4 s: PID 7 (python3) — ≈9 commits, PID 9 (python3)"); no window when no count is shown.
    // Empty with no recent writer.
    static QString wroteLatelyList(const ActivitySample& sample);
    // The same in one line both pages show, in words a developer reads without knowing fanotify:
    // "Every commit counted; writers named exactly, from the kernel's write events."
    static QString attributionSummary(const ActivitySample& sample);
    // How a writer was named, in words: "fanotify" → "the kernel reported it writing the cache's
    // files (fanotify)", "lock", "io"; joined with "and".
    static QString evidenceText(const QStringList& evidence);
    // The Overview's Writers box: who wrote in the last 10 s with their commits (the list the
    // Activity tab shows), who holds the write lock, the rates, how busy the lock was, and
    // attributionSummary() in brackets.
    static QString writersText(const ActivitySample& sample);
    // No process with the cache's files open can be seen, yet the -shm shows live connections or a lock is held by a
    // process /proc/locks gives no pid for: CacheScope runs in a container or pid namespace of its own (#28: "open: 0"
    // beside "live: connections have the cache open"). Only for a line that carries the process list.
    static bool connectionsUnseen(const ActivitySample& sample);
    // The process table's sentence while it has no rows: "No process has the database, … open.", or what
    // connectionsUnseen() means.
    static QString noProcessesText(const ActivitySample& sample);
    // Text for a wrapped label on the page: every number kept with its unit by a no-break space (U+00A0), so a line
    // never ends on "5.2" and starts the next on "s)" (#28 defect 17: "(over the last 5.2 | s)" in the WAL box at
    // 1000×708). Also "≥ 5", "≈ 5" and "PID 7". Only for the screen: the CLI's words, which scripts read, keep
    // their plain spaces.
    static QString keepUnits(const QString& text);
};
