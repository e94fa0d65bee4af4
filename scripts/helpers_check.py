#!/usr/bin/env python3
"""Check kbind's rust/helpers support on a real kernel tree.

    scripts/helpers-check [--arch x86_64|arm64] [--tree DIR] [--show N] [--keep DIR]

1. recognition: every rust_helper_ shim in the tree's rust/helpers is
   recognised as already wrapped (not stale);
2. regeneration: for each shim that wraps an inline function or a macro
   whose signature kbind infers, kbind's own shim gives the same Rust
   signature in bindgen's helpers pass as the hand-written one;
3. compilation: kbind writes shims for every inline function (and every
   inferable function-like macro) reachable from bindings_helper.h that is
   not wrapped yet, compiles them with the tree's flags (one TU, as the
   kernel builds helpers.c), runs bindgen's helpers pass over them and
   compares each Rust signature with kbind's prediction for the original.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kernel_check import prepared_tree  # noqa: E402  (scripts/ is on sys.path)

import kbind  # noqa: E402
from kbind.checks.helpers import STALE, WRAPS_INLINE, WRAPS_MACRO, classify  # noqa: E402
from kbind.checks.wrappable import check_shim, constant_values  # noqa: E402
from kbind.clang.bodies import BodyAnalyser  # noqa: E402
from kbind.clang.header_probe import HeaderProbe  # noqa: E402
from kbind.clang.helpers_tu import read_helpers  # noqa: E402
from kbind.clang.parse import build_args  # noqa: E402
from kbind.generate.files import helper_files, split_plans  # noqa: E402
from kbind.generate.includes import IncludeResolver  # noqa: E402
from kbind.generate.shims import HelperIndex  # noqa: E402
from kbind.helpers_command import missing_names  # noqa: E402
from kbind.kernel.flags import derive_flags  # noqa: E402
from kbind.verify.helpers import (  # noqa: E402
    bindgen_shim_signatures,
    compile_errors,
    predicted_shim_signatures,
    shim_lines,
    standalone_failures,
    types_of,
)
from kbind.verify.objects import object_failures  # noqa: E402


def pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100.0 * n / d:.2f}%)" if d else f"{n}/0"


def write_tree(folder: Path, outputs: list) -> Path:
    """The generated files plus a helpers.c including them, as the kernel has it."""
    folder.mkdir(parents=True, exist_ok=True)
    for out in outputs:
        (folder / Path(out.path).name).write_text(out.text)
    main = folder / "helpers.c"
    main.write_text("".join(line + "\n" for out in outputs for line in out.instructions))
    return main


def attribute(errors: list, folder: Path, outputs: list) -> tuple[dict[str, list[str]], set[str]]:
    """Each error's shim (by line in its generated file, or by the generated file
    whose #include led to a header error): ({name: errors}, {bad file names})."""
    spans = {Path(o.path).name: shim_lines(o.text) for o in outputs}
    names = {Path(o.path).name: o.names for o in outputs}
    failed: dict[str, list[str]] = collections.defaultdict(list)
    bad: set[str] = set()
    for err in errors:
        base = Path(err.file).name
        if Path(err.file).parent.resolve() == folder.resolve() and base in spans:
            bad.add(base)
            owner = [name for first, name in spans[base] if first <= err.line]
            for name in owner[-1:] or names[base]:
                failed[name].append(f"{base}:{err.line}: {err.message}")
            continue
        mine = [Path(f).name for f in err.included_via if Path(f).name in spans]
        if mine:
            bad.add(mine[-1])
            for name in names[mine[-1]]:
                failed[name].append(f"{err.file}:{err.line}: {err.message} "
                                    f"(included from {mine[-1]})")
        else:
            print(f"  error outside the generated files: {err.file}:{err.line}: "
                  f"{err.message}")
    return failed, bad


def wrappability(report, flags, tree: str, index: HelperIndex, shims: list, show: int) -> bool:
    """4. kbind's body classification against object code (clang -c -O2, tree flags)."""
    print("\n== 4. wrappable: body analysis vs object code")
    start = time.perf_counter()
    analyser = BodyAnalyser(str(flags.header), flags.clang_args, flags.target, tree)
    constants = constant_values(report)
    predicted = {s.name: check_shim(analyser, s, constants) for s in shims}
    print(f"body analysis: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    files: dict[str, tuple[str, dict[str, str]]] = {}
    for shim in shims:
        text = index.function_text(shim)
        name = f"{shim.header.replace('/', '_')}.c"
        whole, singles = files.get(name, ("", {}))
        singles[shim.name] = text
        files[name] = (whole + "\n" + text, singles)
    failures = object_failures(files, flags.header, flags.clang_args, Path(tree) / "rust")
    print(f"clang -c -O2 of {len(shims)} shims ({len(files)} groups, then one by one): "
          f"{time.perf_counter() - start:.1f} s")
    wrappable = [n for n, p in predicted.items() if p is None]
    kinds = collections.Counter(p.kind for p in predicted.values() if p is not None)
    print(f"wrappable: {len(wrappable)}; not wrappable: {len(shims) - len(wrappable)}")
    for kind, n in kinds.most_common():
        print(f"  {n:5} {kind}")
    missed = sorted(n for n in failures if predicted.get(n) is None)
    alarms = sorted(n for n, p in predicted.items() if p is not None and n not in failures)
    print(f"misclassified: {len(missed) + len(alarms)} ({len(missed)} failed to compile "
          f"although predicted wrappable, {len(alarms)} compiled although predicted not)")
    for name in missed[:show]:
        print(f"  {name}: {failures[name]}")
    for name in alarms[:show]:
        print(f"  {name}: {predicted[name].reason}")  # type: ignore[union-attr]
    return not missed and not alarms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="x86_64", choices=["x86_64", "arm64"])
    parser.add_argument("--tree", help="a prepared kernel tree (default: scripts/kernel-tree)")
    parser.add_argument("--show", type=int, default=10, help="failures shown per category")
    parser.add_argument("--keep", help="write the generated shims into this folder")
    args = parser.parse_args()
    tree = args.tree or prepared_tree(args.arch)
    flags = derive_flags(tree)
    helpers_dir = Path(tree) / "rust" / "helpers"
    rust_dir = Path(tree) / "rust"
    print(f"tree: {tree}\ntarget: {flags.target}")
    start = time.perf_counter()
    report = kbind.audit(str(flags.header), flags.clang_args, target=flags.target,
                         bindgen_args=flags.bindgen_parameters.argv, root=str(tree),
                         helpers_dir=str(helpers_dir))
    print(f"kbind audit with helpers: {time.perf_counter() - start:.1f} s")
    ok = True

    # 1. recognition
    htree = read_helpers(str(helpers_dir), flags.clang_args, flags.target, str(tree))
    statuses = classify(htree)
    print(f"\n== 1. existing shims in {helpers_dir}")
    for s in statuses:
        print(f"  {s.location.file}:{s.location.line}: rust_helper_{s.name}: {s.status}"
              + (f" ({s.detail})" if s.detail else ""))
    recognised = [s for s in statuses if s.status != STALE]
    print(f"recognised as already wrapped: {pct(len(recognised), len(statuses))}")
    kinds = collections.Counter(s.status + (f" ({s.detail})" if s.detail else "")
                                for s in statuses)
    for kind, n in kinds.most_common():
        print(f"  {n:3} {kind}")
    ok &= len(recognised) == len(statuses)

    # 2. regeneration, in the shims' own TU (it includes what they need)
    hindex = HelperIndex(htree.tu, htree.functions, htree.macros, htree.known)
    index = HelperIndex(report.tu)
    args_c = list(flags.clang_args)
    probe = HeaderProbe(args_c, flags.target, str(Path(flags.header).parent))
    hresolver = IncludeResolver(htree.tu, build_args(str(helpers_dir / "helpers.c"), args_c,
                                                     "x"), str(tree), probe.compiles)
    candidates = [s.name for s in statuses if s.status in (WRAPS_INLINE, WRAPS_MACRO)]
    plans = split_plans(hindex, candidates, write_stubs=False)
    regen = [p.name for p in plans.shims]
    print(f"\n== 2. regeneration ({len(regen)} shims wrap an inline function or a macro "
          "whose signature kbind infers)")
    for p in plans.refused:
        print(f"  not regenerated: {p.name}: {p.reason}")
    with tempfile.TemporaryDirectory(prefix="kbind-helpers-") as tmp:
        outputs = helper_files(hindex, hresolver, plans, subsystem="regenerated")
        main_c = write_tree(Path(tmp) / "regen", outputs)
        theirs = bindgen_shim_signatures(helpers_dir / "helpers.c", args_c, rust_dir)
        ours = bindgen_shim_signatures(main_c, args_c, rust_dir)
    same, dropped = 0, []
    for name in regen:
        a, b = theirs.get(name), ours.get(name)
        if a and b and types_of(a) == types_of(b):
            same += 1
        elif a and b and a[1] is None and types_of(a)[0] == types_of(b)[0]:
            dropped.append(name)  # the hand-written shim discards the result on purpose
        else:
            print(f"  {name}: DIFFERENT\n    hand-written {a}\n    kbind        {b}")
    print(f"regenerated with the same Rust signature: {pct(same, len(regen))}")
    if dropped:
        print(f"  same parameters, but the hand-written shim drops the return value kbind "
              f"keeps: {pct(len(dropped), len(regen))}: {', '.join(dropped)}")
    ok &= same + len(dropped) == len(regen)
    resolver = IncludeResolver(report.tu, build_args(str(flags.header), args_c, "x"), str(tree),
                               probe.compiles)

    # 3. every missing shim
    names, left = missing_names(report, index)
    plans = split_plans(index, names, write_stubs=False)
    outputs = helper_files(index, resolver, plans)
    predicted = predicted_shim_signatures(report, plans.shims, flags.bindgen_parameters.argv)
    print(f"\n== 3. missing shims: {len(plans.shims)} generated in {len(outputs)} files "
          f"({len(plans.refused)} refused)")
    for p in plans.refused[:args.show]:
        print(f"  refused: {p.name} ({p.header}): {p.reason}")
    with tempfile.TemporaryDirectory(prefix="kbind-helpers-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp) / "gen"
        main_c = write_tree(folder, outputs)
        start = time.perf_counter()
        errors = compile_errors(main_c, args_c, rust_dir)
        print(f"clang -fsyntax-only over {len(outputs)} files in one TU (as helpers.c): "
              f"{time.perf_counter() - start:.1f} s, {len(errors)} errors")
        failed, _ = attribute(errors, folder, outputs)
        for name in list(failed)[:args.show]:
            print(f"  {name}: {failed[name][0]}")
        compiled = [s for s in plans.shims if s.name not in failed]
        print(f"compiled: {pct(len(compiled), len(plans.shims))}")
        ok &= not failed
        start = time.perf_counter()
        generated = sorted(p for p in folder.glob("*.c") if p.name != "helpers.c")
        alone = standalone_failures(generated, args_c, rust_dir)
        print(f"each file compiled on its own (its #includes only): "
              f"{pct(len(generated) - len(alone), len(generated))}, "
              f"{time.perf_counter() - start:.1f} s")
        for name, err in list(alone.items())[:args.show]:
            print(f"  {name}: {Path(err.file).name}:{err.line}: {err.message}")
        ok &= not alone
        if failed:
            # bindgen stops at the first error: rerun over the shims that compile.
            plans.shims = compiled
            outputs = helper_files(index, resolver, plans)
            main_c = write_tree(folder / "compiled", outputs)
            again = compile_errors(main_c, args_c, rust_dir)
            print(f"without the failures: {len(again)} errors")
        start = time.perf_counter()
        got = bindgen_shim_signatures(main_c, args_c, rust_dir)
        print(f"bindgen helpers pass over the {len(plans.shims)} shims that compile: "
              f"{time.perf_counter() - start:.1f} s, {len(got)} functions")
    matched, differing = 0, []
    for shim in plans.shims:
        want = predicted[shim.name]
        if got.get(shim.name) == want:
            matched += 1
        else:
            differing.append((shim.name, want, got.get(shim.name)))
    print(f"matched kbind's prediction: {pct(matched, len(plans.shims))}")
    for name, want, have in differing[:args.show]:
        print(f"  {name}:\n    kbind   {want}\n    bindgen {have}")
    ok &= matched >= 0.99 * len(plans.shims)
    ok &= wrappability(report, flags, tree, index, plans.shims, args.show)

    inferred = [s for s in plans.shims if s.kind == "macro"]
    print(f"\nfunction-like macros: {len(inferred)} signatures inferred, "
          f"{left[0].split()[0] if left else 0} left for hand work")
    print(f"inline functions: {len(plans.shims) - len(inferred)} shims generated")
    print("\nresult:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
