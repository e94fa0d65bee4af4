#!/usr/bin/env python3
"""Time kbind against real bindgen and clang on a real kernel bindings_helper.h.

    scripts/bench [--arch x86_64|arm64] [--tree DIR] [--runs N] [--review-headers N]

Every figure is the wall time of a whole process (start-up included), run
`--runs` times, interleaved so that machine noise hits all of them alike:

- bindgen: generating bindings_generated.rs exactly as rust/Makefile does,
  without rustfmt (pure generation; rustfmt would only make bindgen slower);
- clang -fsyntax-only: the same translation unit with the same flags (the
  floor for anything that parses it);
- kbind cold: `kbind audit --kernel-tree T --format json --no-cache`;
- kbind warm: the same with the cache, after one run filled it;
- peak memory of the cold audit (its max RSS).

With --review-headers N it also times `kbind review` over N headers of
include/linux with 1 job and with all cores, when that command exists.
The last line gives the ratios against the targets of the speed issue.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kernel_check import prepared_tree  # noqa: E402  (scripts/ is on sys.path)

from kbind.clang.parse import build_args  # noqa: E402
from kbind.kernel.flags import derive_flags  # noqa: E402
from kbind.profile.targets import get_target  # noqa: E402
from kbind.verify.real_bindgen import bindgen_argv  # noqa: E402


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process; fail loudly if it fails."""
    # stderr goes to a file: a pipe nobody reads would block a chatty process.
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.exit(f"bench: {argv[0]} failed:\n"
                     f"{err.read().decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss


def spread(values: list[float], unit: str = "s") -> str:
    return (f"min {min(values):.3f} {unit}  median {statistics.median(values):.3f} {unit}  "
            f"max {max(values):.3f} {unit}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="x86_64", choices=["x86_64", "arm64"])
    parser.add_argument("--tree", help="a prepared kernel tree (default: scripts/kernel-tree)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--review-headers", type=int, default=0, metavar="N")
    args = parser.parse_args()
    tree = args.tree or prepared_tree(args.arch)
    flags = derive_flags(tree)
    header = str(flags.header)
    work = Path(tempfile.mkdtemp(prefix="kbind-bench-"))
    cache_env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    py = [sys.executable, "-m", "kbind"]
    kbind_audit = [*py, "audit", "--kernel-tree", tree, "--format", "json",
                   "-o", str(work / "report.json"), "--force"]
    commands: dict[str, Callable[[], tuple[float, int]]] = {
        "bindgen": lambda: timed(bindgen_argv(
            header, flags.clang_args, work / "bindings_generated.rs",
            parameters_argv=flags.bindgen_parameters.argv)),
        "clang -fsyntax-only": lambda: timed([
            "clang", "-fsyntax-only",
            *build_args(header, list(flags.clang_args), get_target(flags.target).triple),
            header]),
        "kbind cold": lambda: timed([*kbind_audit, "--no-cache"], cache_env),
        "kbind warm": lambda: timed(kbind_audit, cache_env),
    }
    print(f"tree: {tree}\nheader: {header}\nruns: {args.runs} (interleaved)\n"
          f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}")
    timed(kbind_audit, cache_env)  # fill the cache (and the page cache) once
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    peak: list[float] = []
    for _ in range(args.runs):
        for name, run in commands.items():
            wall, rss = run()
            seconds[name].append(wall)
            if name == "kbind cold":
                peak.append(rss / 1024)
    for name, values in seconds.items():
        print(f"{name:22} {spread(values)}")
    print(f"{'kbind cold peak RSS':22} {spread(peak, 'MB')}")

    review_note = ""
    if args.review_headers:
        review_note = review_scaling(py, tree, work, args.review_headers, cache_env)
    shutil.rmtree(work, ignore_errors=True)

    med = {name: statistics.median(values) for name, values in seconds.items()}
    vs_bindgen = med["kbind cold"] / med["bindgen"]
    vs_clang = med["kbind cold"] / med["clang -fsyntax-only"]
    warm_ratio = med["kbind warm"] / med["kbind cold"]
    max_peak = max(peak)
    ok = (vs_bindgen <= 0.5 and vs_clang <= 2.5 and med["kbind warm"] <= 0.3
          and warm_ratio <= 0.1 and max_peak <= 500)
    print(f"ratios (medians): kbind/bindgen {vs_bindgen:.2f}x (target <= 0.5) | "
          f"kbind/clang-syntax {vs_clang:.2f}x (<= 2.5) | warm {med['kbind warm']:.2f} s "
          f"(<= 0.3) = {warm_ratio:.2f}x cold (<= 0.1) | peak {max_peak:.0f} MB (<= 500)"
          f"{review_note} | {'all targets met' if ok else 'TARGETS NOT MET'}")
    return 0


def review_scaling(py: list[str], tree: str, work: Path, count: int,
                   env: dict[str, str]) -> str:
    """`kbind review` over `count` include/linux headers, one process vs all cores."""
    headers = sorted(str(p) for p in (Path(tree) / "include" / "linux").glob("*.h"))[:count]
    base = [*py, "review", "--kernel-tree", tree, "--format", "json", "--no-cache",
            "-o", str(work / "review.json"), "--force", *headers]
    # One job without the forked macro helper is one core: the baseline.
    one, _ = timed([*base, "--jobs", "1"], {**env, "KBIND_NO_FORK": "1"})
    cores = os.cpu_count() or 1
    many, _ = timed([*base, "--jobs", str(cores)], env)
    print(f"{'review ' + str(count) + ' headers':22} 1 process {one:.2f} s  {cores} jobs "
          f"{many:.2f} s  speed-up {one / many:.2f}x")
    return f" | review speed-up {one / many:.2f}x on {cores} cores"


if __name__ == "__main__":
    sys.exit(main())
