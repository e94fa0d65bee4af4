#!/usr/bin/env python3
"""Compare kbind with real bindgen on a real kernel tree's bindings_helper.h.

    scripts/kernel-check [--arch x86_64|arm64] [--tree DIR] [--show N] [--bindgen-version V]

Prints per-kind counts, the first disagreements of each category, and a
last line `agreement: X% of N items (precision P%, recall R%)`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kbind  # noqa: E402
from kbind.kernel.flags import derive_flags  # noqa: E402
from kbind.verify.compare import compare, flatten_bindgen, flatten_report  # noqa: E402
from kbind.verify.real_bindgen import BINDGEN_ROOTS, root_launcher, run_bindgen  # noqa: E402
from kbind.verify.rust_reader import read_bindings  # noqa: E402

# --bindgen-version -> the release whose real bindgen (BINDGEN_ROOTS) is compared.
MODELS = {f"{v.split('.')[0]}.{v.split('.')[1]}": v for v in BINDGEN_ROOTS}


def tree_rust_target(tree: Path) -> str | None:
    """The `--rust-target` rust/Makefile passes bindgen, if any."""
    import re

    text = (tree / "rust" / "Makefile").read_text(errors="replace")
    found = re.search(r"--rust-target\s+(\S+)", text)
    return found.group(1) if found else None


def prepared_tree(arch: str) -> str:
    out = subprocess.run([str(ROOT / "scripts" / "kernel-tree"), arch], check=True,
                         stdout=subprocess.PIPE, text=True)
    return out.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="x86_64", choices=["x86_64", "arm64"])
    parser.add_argument("--tree", help="a prepared kernel tree (default: scripts/kernel-tree)")
    parser.add_argument("--show", type=int, default=10, help="disagreements shown per category")
    parser.add_argument("--bindgen-version", default="0.60", choices=sorted(MODELS),
                        help="the real bindgen to compare with: 0.60 is the host's (Debian "
                             "12), 0.71 and 0.72 run in the Debian 13 and unstable roots of "
                             "scripts/bindgen-roots")
    args = parser.parse_args()
    tree = args.tree or prepared_tree(args.arch)
    flags = derive_flags(tree)
    print(f"tree: {tree}\ntarget: {flags.target}\nheader: {flags.header}")

    start = time.perf_counter()
    launcher = root_launcher(MODELS[args.bindgen_version], tree,
                             ROOT / "scripts" / "bindgen-roots")
    # bindgen 0.60 does not know --rust-target 1.68; later ones get the tree's.
    rust_target = tree_rust_target(Path(tree)) if launcher else None
    run = run_bindgen(flags.header, flags.clang_args, parameters_argv=flags.bindgen_parameters.argv,
                      launcher=launcher, rust_target=rust_target)
    print(f"bindgen: {run.text.splitlines()[0][:80]}")
    bindgen_s = time.perf_counter() - start
    start = time.perf_counter()
    report = kbind.audit(str(flags.header), flags.clang_args, profile="kernel",
                         target=flags.target, bindgen_args=flags.bindgen_parameters.argv,
                         root=str(tree), bindgen_version=MODELS[args.bindgen_version])
    kbind_s = time.perf_counter() - start
    print(f"bindgen: {bindgen_s:.2f} s   kbind audit: {kbind_s:.2f} s   "
          f"ratio {kbind_s / bindgen_s:.2f}x")

    result = compare(flatten_report(report), flatten_bindgen(read_bindings(run.text)))
    print(f"\n{'kind':8} {'matched':>8} {'differing':>10} {'missing':>8} {'extra':>6}")
    for kind, counts in sorted(result.per_kind().items()):
        print(f"{kind:8} {counts['matched']:8} {counts['differing']:10} "
              f"{counts['missing']:8} {counts['extra']:6}")
    for label, rows in (("differing", result.differing), ("missing (bindgen only)", result.missing),
                        ("extra (kbind only)", result.extra)):
        if not rows:
            continue
        print(f"\nfirst {label}: {len(rows)} in all")
        for row in rows[: args.show]:
            if isinstance(row, tuple):
                ours, theirs = row
                print(f"  {ours.kind} {ours.name}\n    kbind   {ours.signature}\n"
                      f"    bindgen {theirs.signature}")
            else:
                print(f"  {row.kind} {row.name} {row.signature}"[:300])
    print(f"\nagreement: {100 * result.agreement():.3f}% of {result.total} items "
          f"(precision {100 * result.precision():.3f}%, recall {100 * result.recall():.3f}%)")
    return 0 if result.agreement() >= 0.999 else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
