#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the results in a KTAP document and print "N passed, N failed".

Leaves count: a result line whose subtests are reported just before it
(more deeply indented) is a parent and only counts as one failure if it
failed while none of its subtests did (a program that crashed or timed out
half-way). "ok ... # SKIP" results are counted apart, and the line then
ends ", N skipped". Exits 0 if nothing failed.
"""

import re
import sys

RESULT = re.compile(r"^(\s*)(not ok|ok)\b(.*)$")


def summarise(lines):
    passed = failed = skipped = 0
    # Per indentation depth: did any subtest at that depth fail, and were
    # there subtests at all, since the last result at the enclosing depth.
    seen_children = {}
    failed_children = {}
    for line in lines:
        m = RESULT.match(line)
        if not m:
            continue
        depth = len(m.group(1).expandtabs())
        ok = m.group(2) == "ok"
        child_depths = [d for d in seen_children if d > depth]
        is_parent = any(seen_children[d] for d in child_depths)
        child_failed = any(failed_children.get(d) for d in child_depths)
        for d in child_depths:
            seen_children[d] = False
            failed_children[d] = False
        if is_parent:
            if not ok and not child_failed:
                failed += 1
        elif ok and re.search(r"#\s*SKIP", m.group(3), re.IGNORECASE):
            skipped += 1
        elif ok:
            passed += 1
        else:
            failed += 1
        seen_children[depth] = True
        failed_children[depth] = failed_children.get(depth, False) or child_failed or not ok
    return passed, failed, skipped


def main():
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        passed, failed, skipped = summarise(f.read().splitlines())
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
