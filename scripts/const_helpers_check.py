#!/usr/bin/env python3
"""Const helpers, opaque records and layouts on a real kernel tree.

    scripts/const-helpers-check [--arch x86_64|arm64] [--tree DIR] [--show N]

1. Every RUST_CONST_HELPER_ line of the tree's bindings_helper.h must be
   recognised as already wrapped (prints `already wrapped: K/N`).
2. The const helpers kbind proposes for every macro still missing one are
   appended to bindings_helper.h in a scratch header, which must compile
   (`clang -fsyntax-only` with the tree's flags); real bindgen then runs on it
   with the kernel's options and RUST_CONST_HELPER_ rename, and each constant
   must have the type and value kbind predicted.
3. Counts of the const-helper consistency rules and the opaque rules, and the
   cost of the macro probe.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kernel_check import prepared_tree  # noqa: E402  (scripts/ is on sys.path)

from kbind import api  # noqa: E402
from kbind.checks.const_helpers import NEEDS  # noqa: E402
from kbind.generate.const_helpers import render, select  # noqa: E402
from kbind.kernel.flags import derive_flags  # noqa: E402
from kbind.verify.compare import flatten_bindgen, flatten_report  # noqa: E402
from kbind.verify.real_bindgen import run_bindgen  # noqa: E402
from kbind.verify.rust_reader import read_bindings  # noqa: E402

CONSISTENCY = ("already-wrapped", "stale-const-helper", "const-helper-mismatch",
               "const-helper-value", "const-helper-type", "rust-uses-missing-binding")
OPAQUE = ("opaque-type", "opaque-member", "packed-contains-aligned", "degraded-union")
MACROS = (NEEDS, "macro-not-constant", "macro-shadows-binding")


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100.0 * part / whole:.1f}%)" if whole else "0/0"


def compile_errors(header: Path, clang_args: list[str]) -> list[str]:
    proc = subprocess.run(["clang", "-fsyntax-only", "-x", "c", *clang_args, str(header)],
                          capture_output=True, text=True, check=False)
    return [ln for ln in proc.stderr.splitlines() if ": error:" in ln]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="x86_64", choices=["x86_64", "arm64"])
    parser.add_argument("--tree", help="a prepared kernel tree (default: scripts/kernel-tree)")
    parser.add_argument("--show", type=int, default=10, help="problems shown per category")
    args = parser.parse_args()
    tree = args.tree or prepared_tree(args.arch)
    flags = derive_flags(tree)
    clang_args = list(flags.clang_args)
    params = list(flags.bindgen_parameters.argv)
    print(f"tree: {tree}\ntarget: {flags.target}\nheader: {flags.header}")

    start = time.perf_counter()
    api.audit(str(flags.header), clang_args, target=flags.target, bindgen_args=params,
              root=tree, macro_types=False)
    plain_s = time.perf_counter() - start
    start = time.perf_counter()
    report, probe = api.audit_probed(str(flags.header), clang_args, target=flags.target,
                                     bindgen_args=params, root=tree, kernel_tree=tree)
    full_s = time.perf_counter() - start
    assert probe is not None
    print(f"audit without macro types: {plain_s:.2f} s; with the macro probe and the "
          f"helper checks: {full_s:.2f} s (probe parse {probe.seconds:.2f} s, "
          f"{len(probe.macros)} macros typed)")

    rules = Counter(f.rule for f in report.findings)
    wrapped = {f.item for f in report.findings if f.rule == "already-wrapped"}
    helpers = [h.name for h in probe.helpers]
    print(f"\nconst helpers in bindings_helper.h: {len(helpers)}; "
          f"already wrapped: {pct(sum(h in wrapped for h in helpers), len(helpers))}")
    for h in helpers:
        if h not in wrapped:
            print(f"  NOT recognised: RUST_CONST_HELPER_{h}")
    print("\nissue 9 part 1 (const-helper consistency):")
    for rule in CONSISTENCY:
        print(f"  {rule:28} {rules.get(rule, 0)}")
    for f in report.findings:
        if f.rule in CONSISTENCY[1:]:
            print(f"    {f.location.file}:{f.location.line}: {f.severity}: {f.message}")
    print("issue 9 part 3 (opaque and degraded records):")
    for rule in OPAQUE:
        print(f"  {rule:28} {rules.get(rule, 0)}")
    print("macros bindgen cannot evaluate:")
    for rule in MACROS:
        print(f"  {rule:28} {rules.get(rule, 0)}")

    proposals = select(report, probe, all_missing=True)
    missing = [p.name for p in proposals]
    lines = [p for p in proposals if p.line is not None]
    print(f"\nproposed const helpers: {len(lines)} of {len(missing)} missing")
    with tempfile.TemporaryDirectory(prefix="kbind-consts-") as tmp:
        scratch = Path(tmp) / "bindings_helper_consts.h"
        scratch.write_text(f'#include "{flags.header}"\n' + render(lines))
        errors = compile_errors(scratch, clang_args)
        print(f"clang -fsyntax-only with the tree's flags: "
              f"{'compiles' if not errors else f'{len(errors)} errors'}")
        for line in errors[:args.show]:
            print(f"  {line}")
        start = time.perf_counter()
        text = run_bindgen(scratch, clang_args, parameters_argv=params).text
        bindgen_s = time.perf_counter() - start
        predicted_report = api.audit(str(scratch), clang_args, target=flags.target,
                                     bindgen_args=params, root=tree, macro_types=False)
    blobs = set(re.findall(r"pub (?:struct|union) (\w+) \{\s*pub _bindgen_opaque_blob", text))
    markers = set(re.findall(r"pub struct (\w+) \{\s*pub \w+ ?: __BindgenUnionField", text))
    for rule, real in (("opaque-type", blobs), ("degraded-union", markers)):
        ours = {f.item for f in report.findings if f.rule == rule}
        print(f"{rule}: kbind {len(ours)}, bindgen {len(real)}, agree {len(ours & real)}"
              + (f"; kbind only {sorted(ours - real)}, bindgen only {sorted(real - ours)}"
                 if ours != real else ""))
    names = {p.name for p in lines}
    actual = {f.name: f for f in flatten_bindgen(read_bindings(text))
              if f.kind == "const" and f.name in names}
    predicted = {f.name: f for f in flatten_report(predicted_report)
                 if f.kind == "const" and f.name in names}
    values = {p.name: str(p.value) for p in lines}
    matched = [n for n in names if n in actual and actual[n] == predicted.get(n)
               and actual[n].signature[1] == values[n]]
    print(f"bindgen ({bindgen_s:.1f} s) emits {len(actual)} of them; type and value as "
          f"kbind predicted: {pct(len(matched), len(lines))}")
    shown = 0
    for name in sorted(names - set(matched)):
        if shown == args.show:
            break
        shown += 1
        got = actual.get(name)
        print(f"  {name}: kbind {predicted.get(name) and predicted[name].signature} "
              f"(probe value {values[name]}), bindgen {got and got.signature}")
    ok = not errors and len(matched) == len(lines) and len(wrapped & set(helpers)) == len(helpers)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
