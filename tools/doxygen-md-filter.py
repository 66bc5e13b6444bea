#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Doxygen input filter for Markdown pages (docs/Doxyfile FILTER_PATTERNS).

Gives every heading without an explicit {#id} the id GitHub gives it
(lower case, punctuation dropped, spaces to '-'), so that the same
[text](#section) links work on GitHub and in the HTML docs; doxygen 1.9.4
has no GitHub-style heading ids of its own. Also makes a code span in a
heading plain text (doxygen 1.9.4 would print its <tt> tags), and points
links to the README (the front page) at the main page. Reads the file
named by its argument, writes to standard output; line count unchanged.
"""
import re
import sys


def slug(title):
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title).replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", t).replace(" ", "-")


def main():
    out, in_code = [], False
    for line in open(sys.argv[1], encoding="utf-8"):
        if line.startswith("```"):
            in_code = not in_code
        m = None if in_code else re.match(r"(#{1,6}) (.*?)\s*$", line)
        if m and not re.search(r"\{#[^}]*\}\s*$", m.group(2)):
            title = m.group(2)
            line = "%s %s {#%s}\n" % (m.group(1), title.replace("`", ""), slug(title))
        elif m:
            line = line.replace("`", "")
        if not in_code:
            line = re.sub(r"\]\((\.\./)?README\.md\)", "](@ref index)", line)
        out.append(line)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
