#!/usr/bin/env python3
"""Check `kbind review` against real bindgen on a real kernel tree.

    python3 scripts/review_check.py --tree DIR HEADER... [--show N]

For each HEADER, real bindgen runs on the same probe kbind reviews
(bindings_helper.h, then the header) and on bindings_helper.h alone; the
items only the probe has are what the header brings. They are compared
item by item with the new items kbind reports. Prints timings, counts and
`agreement: X% of N new items` per header.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kbind.checks.catalog import CATALOG  # noqa: E402
from kbind.kernel.flags import derive_flags  # noqa: E402
from kbind.report import Report  # noqa: E402
from kbind.review import _probe_text, include_target, review  # noqa: E402
from kbind.sources import Common  # noqa: E402
from kbind.verify.compare import compare, flatten_bindgen, flatten_report  # noqa: E402
from kbind.verify.real_bindgen import run_bindgen  # noqa: E402
from kbind.verify.rust_reader import read_bindings  # noqa: E402


def bindgen_items(tree: str, header: str) -> list:
    flags = derive_flags(tree, header)
    run = run_bindgen(flags.header, flags.clang_args,
                      parameters_argv=flags.bindgen_parameters.argv)
    return flatten_bindgen(read_bindings(run.text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", required=True, help="a prepared kernel tree")
    parser.add_argument("headers", nargs="+")
    parser.add_argument("--show", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()

    start = time.perf_counter()
    result = review(args.headers, Common(hazards=tuple(r.id for r in CATALOG)),
                    kernel_tree=args.tree, jobs=args.jobs)
    print(f"kbind review: {time.perf_counter() - start:.1f} s for {len(args.headers)} "
          f"header(s) plus the base")
    start = time.perf_counter()
    base = {(f.kind, f.name): f.signature for f in bindgen_items(args.tree, None)}
    print(f"bindgen on bindings_helper.h: {time.perf_counter() - start:.1f} s")
    worst = 1.0
    for h in result.headers:
        with tempfile.TemporaryDirectory() as tmp:
            probe = os.path.join(tmp, "probe.h")
            helper = str(derive_flags(args.tree).header)
            Path(probe).write_text(_probe_text(helper, include_target(h.header, args.tree)))
            start = time.perf_counter()
            # New items, and items whose Rust form changed: a type the base only
            # declared and the header defines.
            new = [f for f in bindgen_items(args.tree, probe)
                   if base.get((f.kind, f.name)) != f.signature]
            took = time.perf_counter() - start
        ours = flatten_report(Report(h.header, result.profile, result.targets[0],
                                     items=h.items))
        cmp = compare(ours, new)
        print(f"\n== {h.header}: bindgen {took:.1f} s; {len(new)} new Rust items from bindgen, "
              f"{len(ours)} from kbind; {h.counts()}")
        for label, rows in (("differing", cmp.differing), ("missing (bindgen only)",
                                                            cmp.missing),
                            ("extra (kbind only)", cmp.extra)):
            for row in rows[: args.show]:
                print(f"  {label}: {row}"[:400])
        print(f"agreement: {100 * cmp.agreement():.2f}% of {cmp.total} new items")
        worst = min(worst, cmp.agreement())
    return 0 if worst >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main())
