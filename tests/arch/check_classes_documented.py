#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeps docs/ARCHITECTURE.md true to the tree (run by ctest as arch/classes_documented).

Every class or struct that a header under src/ defines at namespace scope (not one nested in
another class, not a forward declaration, not an enum) is named in docs/ARCHITECTURE.md, in
backquotes as the document names code (`Name`, or qualified: `Pickle::Reader`). A newcomer who
meets a class in the tree finds it in the map; a class added without a word there fails here.
Prints each missing name with its header; exit 1 if one is missing.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])
doc_path = root / "docs/ARCHITECTURE.md"

comment_or_string_re = re.compile(r'//[^\n]*|/\*.*?\*/|R"(\w*)\(.*?\)\1"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
token_re = re.compile(r"\bnamespace\b(?:\s+[\w:]+)?\s*\{|\b(?:class|struct)\s+(?:\[\[[^\]]*\]\]\s*)?(?:[A-Z_]+_EXPORT\s+)?(\w+)\s*(?:final\s*)?(?=[:{])|[{}]|\benum\s+(?:class|struct)\b")


def blank(match):
    # keep line breaks so line numbers stay true
    return re.sub(r"[^\n]", " ", match.group(0))


def classes_in(header):
    """(name, line) of every class or struct the header defines at namespace scope."""
    text = comment_or_string_re.sub(blank, header.read_text())
    found = []
    stack = []  # True for a namespace's brace, False for any other
    pending_class = False  # the next '{' opens a class body
    skip_enum = False
    for m in token_re.finditer(text):
        token = m.group(0)
        if token.startswith("namespace"):
            stack.append(True)
        elif token.startswith("enum"):
            skip_enum = True
        elif m.group(1):
            if all(stack) and not skip_enum:
                # a base-class list may hold template braces only in odd code; the next '{' is the body
                found.append((m.group(1), text.count("\n", 0, m.start()) + 1))
            pending_class = True
        elif token == "{":
            stack.append(False)
            pending_class = skip_enum = False
        elif token == "}":
            if stack:
                stack.pop()
    return found


def main():
    doc = doc_path.read_text()
    # code in the document: fenced blocks (the layer diagram) and `spans`
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", doc, re.S | re.M)
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", doc, flags=re.S | re.M)
    words = set()
    for code in fenced + re.findall(r"`([^`]+)`", prose):
        words.update(re.findall(r"\w+", code))
    missing = []
    checked = 0
    for header in sorted((root / "src").rglob("*.h")):
        for name, line in classes_in(header):
            checked += 1
            if name not in words:
                missing.append("%s:%d: %s is not named in docs/ARCHITECTURE.md" % (header.relative_to(root), line, name))
    print("%d class(es) in src/ headers checked" % checked)
    for problem in missing:
        print(problem)
    if missing:
        print("%d classes not named in docs/ARCHITECTURE.md: add each where its group is described" % len(missing))
        return 1
    return 0


sys.exit(main())
