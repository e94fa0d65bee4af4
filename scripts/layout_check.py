#!/usr/bin/env python3
"""Layout proof on a real kernel tree.

    scripts/layout-check [--arch x86_64|arm64] [--tree DIR]

1. `kbind layout --verify`: every struct and union Rust sees, against the
   compiler's DWARF (kbind's C facts, and the Rust layout of the fields kbind
   predicts bindgen emits). Prints each mismatch with its cause.
2. The Rust layout model itself, against rustc: the tree's real bindgen output
   is compiled with a program printing every record's size, alignment and field
   offsets, and compared with kbind's model record by record.

Exit 0 when kbind's C facts match the compiler everywhere and its Rust model
matches rustc everywhere; Rust-side mismatches are bindgen defects, listed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kernel_check import prepared_tree  # noqa: E402  (scripts/ is on sys.path)

from kbind import api  # noqa: E402
from kbind.kernel.flags import derive_flags  # noqa: E402
from kbind.predict.items import Predictor  # noqa: E402
from kbind.predict.options import BindgenOptions  # noqa: E402
from kbind.predict.rust_layout import RustRecords, UnknownLayout  # noqa: E402
from kbind.profile.ffi import get_profile  # noqa: E402
from kbind.profile.targets import get_target  # noqa: E402
from kbind.verify.dwarf_layout import verify  # noqa: E402
from kbind.verify.real_bindgen import run_bindgen  # noqa: E402
from kbind.verify.rustc_layout import rustc_layouts  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="x86_64", choices=["x86_64", "arm64"])
    parser.add_argument("--tree", help="a prepared kernel tree (default: scripts/kernel-tree)")
    args = parser.parse_args()
    tree = args.tree or prepared_tree(args.arch)
    flags = derive_flags(tree)
    params = list(flags.bindgen_parameters.argv)
    print(f"tree: {tree}\ntarget: {flags.target}")

    result = verify(str(flags.header), flags.clang_args, flags.target, params, root=tree)
    c_side = [f for f in result.mismatches if "kbind (C) says" in f.message]
    print(f"\n1. DWARF: {len(result.mismatches)} mismatches over {result.checked} types "
          f"({result.members} members and bitfields), {len(result.unchecked)} not checked, "
          f"{result.seconds:.1f} s; of them in kbind's C facts: {len(c_side)}")
    for f in result.mismatches:
        print(f"  {f.location.file}:{f.location.line}: {f.message}")
    for name, why in result.unchecked:
        print(f"  not checked: {name}: {why}")

    tgt = get_target(flags.target)
    tu = api.parse(str(flags.header), flags.clang_args, tgt.triple, False, tree)
    items = Predictor(tu, get_profile("kernel", tgt), BindgenOptions.from_argv(params)).items()
    model = RustRecords(tu, items, tgt)
    records: dict[str, list[str]] = {}
    for name in model.by_name:
        if name not in model.records:
            continue  # forward declarations: `_unused: [u8; 0]`, nothing to lay out
        try:
            records[name] = list(model.layout(name).offsets)
        except UnknownLayout as exc:
            print(f"  model has no layout for {name}: {exc}")
    start = time.perf_counter()
    text = run_bindgen(flags.header, flags.clang_args, parameters_argv=params).text
    with tempfile.TemporaryDirectory(prefix="kbind-rustc-") as tmp:
        real = rustc_layouts(text, records, tmp)
    differing = [n for n, lay in real.items() if model.layout(n) != lay]
    print(f"\n2. Rust layout model vs rustc on real bindgen output: {len(real)} records "
          f"({time.perf_counter() - start:.0f} s), differing: {len(differing)}")
    for name in differing[:20]:
        print(f"  {name}: kbind {model.layout(name)}, rustc {real[name]}")
    return 0 if not c_side and not differing and len(real) == len(records) else 1


if __name__ == "__main__":
    sys.exit(main())
