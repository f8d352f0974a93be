#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeps the architecture of docs/ARCHITECTURE.md true (run by ctest as arch/layers).

- core never includes gui, cli or Qt Widgets; cli never includes gui; core and gui never include
  metrics (the HTTP server of `cachescope-cli metrics`, src/metrics) nor Qt HttpServer/Network;
- a core group includes only its own headers and those of the groups listed before it in
  src/core/CMakeLists.txt (CACHESCOPE_CORE_GROUPS), likewise for gui groups in
  src/gui/CMakeLists.txt — so dependencies between groups go one way;
- no cycle between components (a component is name.h + name.cpp), e.g. a.cpp including b.h
  while b.cpp includes a.h;
- every document a comment in src/ or tests/ cites ("docs/WAL.md §4.1") is in docs/ and has
  that section, so a reader of the repository alone can follow it;
- the GUI has one threading idiom: outside gui/tasks/ no QThread, std::thread, QtConcurrent
  or processEvents (docs/ARCHITECTURE.md, "Threads").
Prints every violation with the file and line; exit 1 if there is one.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])
src = root / "src"
include_re = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def groups_of(cmake, variable):
    text = (cmake).read_text()
    m = re.search(r"set\(%s\s+([^)]*?)\s+CACHE" % variable, text, re.S) or re.search(
        r"set\(%s\s+([^)]*)\)" % variable, text, re.S)
    if not m:
        sys.exit("cannot find %s in %s" % (variable, cmake))
    return m.group(1).split()


core_groups = groups_of(src / "core/CMakeLists.txt", "CACHESCOPE_CORE_GROUPS")
gui_groups = groups_of(src / "gui/CMakeLists.txt", "CACHESCOPE_GUI_GROUPS")
problems = []
edges = {}  # component -> {component: (file, line)}


def component(layer, rel):
    return "%s/%s" % (layer, rel.with_suffix(""))


for path in sorted(src.rglob("*")):
    if path.suffix not in (".h", ".cpp"):
        continue
    rel = path.relative_to(src)
    layer = rel.parts[0]
    group = rel.parts[1] if layer in ("core", "gui") and len(rel.parts) > 2 else None
    me = component(layer, rel.relative_to(layer))
    for lineno, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        m = include_re.match(line)
        if not m:
            continue
        angle, target = m.group(1) == "<", m.group(2)
        where = "%s:%d" % (rel, lineno)
        if angle:
            if layer == "core" and (target.startswith("QtWidgets") or re.match(r"Q(Widget|Dialog|Label|MainWindow|Application)\b", target)):
                problems.append("%s: core includes Widgets header <%s>" % (where, target))
            if layer in ("core", "gui") and re.match(r"(QtHttpServer|QtNetwork|QHttpServer|QTcpServer|QAbstractHttpServer)", target):
                problems.append("%s: %s includes <%s>: HTTP and sockets belong to src/metrics" % (where, layer, target))
            continue
        tgroup = target.split("/")[0] if "/" in target else None
        if layer in ("core", "gui") and tgroup == "metrics":
            problems.append("%s: %s includes \"%s\": only the CLI links metrics" % (where, layer, target))
            continue
        if layer == "metrics" and (tgroup in gui_groups or tgroup == "cli"):
            problems.append("%s: metrics includes \"%s\"" % (where, target))
            continue
        if layer == "core":
            if tgroup in gui_groups:
                problems.append("%s: core includes gui header \"%s\"" % (where, target))
                continue
            if group and tgroup in core_groups and core_groups.index(tgroup) > core_groups.index(group):
                problems.append("%s: core group '%s' includes '%s', a group listed after it" % (where, group, target))
            tlayer = "core" if tgroup in core_groups else None
        elif layer == "gui":
            if group and tgroup in gui_groups and gui_groups.index(tgroup) > gui_groups.index(group):
                problems.append("%s: gui group '%s' includes '%s', a group listed after it" % (where, group, target))
            tlayer = "core" if tgroup in core_groups else "gui" if tgroup in gui_groups else None
        else:
            if layer == "cli" and tgroup in gui_groups:
                problems.append("%s: cli includes gui header \"%s\"" % (where, target))
            tlayer = ("core" if tgroup in core_groups else "gui" if tgroup in gui_groups
                      else "metrics" if tgroup == "metrics" else layer)
        if tlayer:
            other = "%s/%s" % (tlayer, pathlib.PurePath(target).with_suffix(""))
            if other != me:
                edges.setdefault(me, {}).setdefault(other, where)

# Cycles between components (Tarjan's strongly connected components).
index, low, stack, on_stack, sccs = {}, {}, [], set(), []


def strongconnect(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on_stack.add(v)
    for w in edges.get(v, {}):
        if w not in index:
            strongconnect(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        scc = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            scc.append(w)
            if w == v:
                break
        if len(scc) > 1:
            sccs.append(sorted(scc))


sys.setrecursionlimit(10000)
for v in list(edges):
    if v not in index:
        strongconnect(v)
for scc in sccs:
    detail = "; ".join("%s -> %s (%s)" % (a, b, edges[a][b]) for a in scc for b in edges.get(a, {}) if b in scc)
    problems.append("include cycle between %s: %s" % (", ".join(scc), detail))

# Citations: "docs/NAME.md" must exist; "docs/NAME.md §N[.M]" needs a "## §N" heading, and
# §N.M an item "M." in that section's numbered list.
cite_re = re.compile(r"docs/([A-Z_]+\.md)(?: §(\d+)(?:\.(\d+))?)?")
citations = 0
for path in sorted(list(src.rglob("*")) + list((root / "tests").rglob("*"))):
    if not path.is_file() or path.suffix not in (".h", ".cpp", ".py", ".txt", ".ui", "") or path.name == "check_layers.py":
        continue
    for lineno, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        for m in cite_re.finditer(line):
            citations += 1
            doc = root / "docs" / m.group(1)
            where = "%s:%d" % (path.relative_to(root), lineno)
            if not doc.is_file():
                problems.append("%s cites docs/%s, which does not exist" % (where, m.group(1)))
                continue
            if not m.group(2):
                continue
            text = doc.read_text()
            section = re.search(r"^## §%s\b.*?(?=^## |\Z)" % m.group(2), text, re.S | re.M)
            if not section:
                problems.append("%s cites docs/%s §%s: no such section" % (where, m.group(1), m.group(2)))
            elif m.group(3) and not re.search(r"^%s\. " % m.group(3), section.group(0), re.M):
                problems.append("%s cites docs/%s §%s.%s: the section has no item %s" % (where, m.group(1), m.group(2), m.group(3), m.group(3)))

# One threading idiom in the GUI: everything off the GUI thread goes through BackgroundTask.
idiom_re = re.compile(r"\bQThread\b(?!Pool)|std::thread|QtConcurrent|processEvents")
for path in sorted((src / "gui").rglob("*")):
    if path.suffix not in (".h", ".cpp") or path.relative_to(src / "gui").parts[0] == "tasks":
        continue
    for lineno, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        m = idiom_re.search(line)
        if m:
            problems.append("%s:%d: %s in the GUI outside gui/tasks/ (use BackgroundTask)" % (path.relative_to(src), lineno, m.group(0)))

for p in problems:
    print(p)
print("%d citation(s) of docs/ checked" % citations)
print("%d component(s), %d include edge(s), %d problem(s)" % (len(edges), sum(map(len, edges.values())), len(problems)))
sys.exit(1 if problems else 0)
