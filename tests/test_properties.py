"""Property tests on random C declarations (issue 8), against real bindgen and rustc.

Profiles: `ci` (the default: a fixed seed, a few hundred declarations per
property) and `long` (HYPOTHESIS_PROFILE=long: random seeds, many more).
A counterexample is a kbind bug: fix the rule, then keep the header in
headers/regressions/ (tests/test_differential.py checks every one).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import c_strategies as cs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import HEADERS, describe, fixture_report

import kbind
from kbind.render import json_report
from kbind.report import Code, Report
from kbind.verify.compare import Comparison, compare, flatten_bindgen, flatten_report
from kbind.verify.real_bindgen import bindgen_argv, const_helper_sed, run_bindgen
from kbind.verify.rust_reader import read_bindings

settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.register_profile("long", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SCHEMA = Path(kbind.__file__).parent / "schema" / "report.schema.json"
TARGETS = ["x86_64-linux-gnu", "aarch64-linux-gnu", "riscv64-linux-gnu", "arm-linux-gnueabi"]
CLANG_ARGS = ["-nostdinc"]
REGRESSIONS = sorted(str(p) for p in (HEADERS / "regressions").glob("*.h"))


@cache
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def audit_text(text: str, target: str = TARGETS[0], profile: str = "kernel") -> Report:
    with tempfile.TemporaryDirectory(prefix="kbind-prop-") as tmp:
        header = Path(tmp) / "random.h"
        header.write_text(text)
        return kbind.audit(str(header), CLANG_ARGS, profile=profile, target=target,
                           root=tmp)


def bindgen_text(text: str, target: str, profile: str = "kernel") -> str:
    """Real bindgen's output, run as the kernel does; the stock profile is the
    same run with `--ctypes-prefix core::ffi`."""
    with tempfile.TemporaryDirectory(prefix="kbind-prop-") as tmp:
        header = Path(tmp) / "random.h"
        header.write_text(text)
        if profile == "kernel":
            return run_bindgen(header, [*CLANG_ARGS, f"--target={target}"]).text
        out = Path(tmp) / "out.rs"
        argv = bindgen_argv(header, [*CLANG_ARGS, f"--target={target}"], out)
        argv[argv.index("--ctypes-prefix") + 1] = "core::ffi"
        subprocess.run(argv, check=True, capture_output=True)
        return const_helper_sed(out.read_text())


def differential(text: str, target: str, profile: str = "kernel"
                 ) -> tuple[Report, str, Comparison]:
    report = audit_text(text, target, profile)
    rust = bindgen_text(text, target, profile)
    result = compare(flatten_report(report), flatten_bindgen(read_bindings(rust)))
    return report, rust, result


def without_locations(report: Report) -> list[str]:
    """Items and findings as JSON lines, minus where they are: order-free."""
    out = []
    for entry in report.to_json()["items"] + report.to_json()["findings"]:
        entry = dict(entry)
        entry.pop("location")
        out.append(json.dumps(entry, sort_keys=True))
    return sorted(out)


# ---------------------------------------------------------------- properties


def assert_valid(report: Report) -> None:
    errors = sorted(validator().iter_errors(report.to_json()), key=str)
    assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("profile", ["kernel", "stock"])
def test_fixture_reports_are_valid(profile: str) -> None:
    assert_valid(fixture_report(profile=profile))


@pytest.mark.parametrize("header", REGRESSIONS, ids=lambda p: Path(p).name)
def test_regression_reports_are_valid(header: str) -> None:
    assert_valid(audit_text(Path(header).read_text()))


@given(cs.headers(), st.sampled_from(TARGETS), st.sampled_from(["kernel", "stock"]))
def test_never_crashes_and_report_is_valid(groups: list[cs.Group], target: str,
                                           profile: str) -> None:
    report = audit_text(cs.render(groups), target, profile)
    assert_valid(report)
    assert report.complete


@given(cs.headers(max_groups=5), st.randoms(use_true_random=False))
def test_report_is_deterministic_and_order_free(groups: list[cs.Group],
                                                rng: random.Random) -> None:
    text = cs.render(groups)
    first = json_report.render(audit_text(text))
    assert json_report.render(audit_text(text)) == first
    shuffled = list(groups)
    rng.shuffle(shuffled)
    assert without_locations(audit_text(cs.render(shuffled))) == \
        without_locations(audit_text(text))


def without_bindgen_crashes(groups: list[cs.Group], target: str = TARGETS[0],
                            profile: str = "kernel") -> list[cs.Group]:
    """When kbind says a macro crashes bindgen, bindgen must crash; then the
    groups without those macros, for the properties that need bindgen's output."""
    report = audit_text(cs.render(groups), target, profile)
    crashes = {f.item or "" for f in report.findings if f.rule == "macro-crashes-bindgen"}
    if not crashes:
        return groups
    with pytest.raises(subprocess.CalledProcessError if profile == "stock" else RuntimeError):
        bindgen_text(cs.render(groups), target, profile)
    return [g for g in groups if not any(n.startswith(g.prefix.upper()) for n in crashes)]


@settings(max_examples=settings().max_examples * 3)
@given(cs.headers(), st.sampled_from(TARGETS), st.sampled_from(["kernel", "kernel", "stock"]))
def test_agrees_with_bindgen(groups: list[cs.Group], target: str, profile: str) -> None:
    text = cs.render(without_bindgen_crashes(groups, target, profile))
    _, _, result = differential(text, target, profile)
    assert not (result.differing or result.missing or result.extra), \
        f"{profile}/{target}\n{text}\n{describe(result)}"


# ------------------------------------------------------- layouts by rustc
#
# bindgen's output for x86_64, compiled by rustc with the kernel's `ffi`
# module (rust/ffi.rs: char is u8, long is isize); the program prints every
# record's size, alignment and field offsets. Offsets use MaybeUninit and
# addr_of!, which rustc 1.63 (Debian's) has; offset_of! came later.

FFI_MODULE = """\
pub mod ffi {
    pub type c_char = u8; pub type c_schar = i8; pub type c_uchar = u8;
    pub type c_short = i16; pub type c_ushort = u16; pub type c_int = i32;
    pub type c_uint = u32; pub type c_long = isize; pub type c_ulong = usize;
    pub type c_longlong = i64; pub type c_ulonglong = u64;
    pub use core::ffi::c_void;
}
"""


def layout_program(report: Report, rust: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """A Rust program printing `NAME size align` and `NAME.FIELD offset` lines,
    and kbind's expectation for each line."""
    body: list[str] = []
    expected: dict[str, tuple[int, int]] = {}
    for item in report.items:
        if item.kind not in ("struct", "union") or not item.emitted or item.size is None:
            continue
        name = item.rust_name
        expected[name] = (item.size, item.align or 0)
        body.append(f'println!("{name} {{}} {{}}", size_of::<{name}>(), align_of::<{name}>());')
        body.append(f"let u = MaybeUninit::<{name}>::uninit(); let p = u.as_ptr();")
        for f in item.fields:
            if f.offset_bits is None:
                continue
            expected[f"{name}.{f.name}"] = (f.offset_bits, 0)
            body.append(f'println!("{name}.{f.name} {{}}", '
                        f"(addr_of!((*p).{f.name}) as usize - p as usize) * 8);")
    main = ("#[allow(unused_unsafe)]\nfn main() {\n    use core::mem::{align_of, size_of, "
            "MaybeUninit};\n    use core::ptr::addr_of;\n    unsafe {\n        "
            + "\n        ".join(body) + "\n    }\n}\n")
    return "#![allow(warnings)]\n" + FFI_MODULE + rust + "\n" + main, expected


def rustc(program: str) -> tuple[subprocess.CompletedProcess[str], dict[str, tuple[int, int]]]:
    """Compile and run `program`: (rustc's result, the printed layouts)."""
    out: dict[str, tuple[int, int]] = {}
    with tempfile.TemporaryDirectory(prefix="kbind-rustc-") as tmp:
        src = Path(tmp) / "layout.rs"
        src.write_text(program)
        exe = Path(tmp) / "layout"
        build = subprocess.run(["rustc", "--edition", "2021", "-o", str(exe), str(src)],
                               capture_output=True, text=True)
        if build.returncode != 0:
            return build, out
        run = subprocess.run([str(exe)], capture_output=True, text=True, check=True)
    for line in run.stdout.splitlines():
        name, *numbers = line.split()
        out[name] = (int(numbers[0]), int(numbers[1]) if len(numbers) > 1 else 0)
    return build, out


def rejected_by_rustc(stderr: str, program: str) -> set[str]:
    """Records rustc reports E0587 (packed with align) for: the item at each
    error's `--> file:line:column` (rustc cuts long lines in its excerpts)."""
    lines = program.splitlines()
    names: set[str] = set()
    for block in stderr.split("error[")[1:]:
        where = re.search(r"--> .*?:(\d+):(\d+)", block)
        if block.startswith("E0587") and where:
            rest = lines[int(where[1]) - 1][int(where[2]) - 1:]
            names.add(re.search(r"pub (?:struct|union) (\w+)", rest)[1])  # type: ignore[index]
    return names


def _conflicts(report: Report) -> set[str]:
    return {i.rust_name or "" for i in report.items
            if i.emitted and i.reason and "E0587" in i.reason}


def holders(report: Report, names: set[str]) -> set[str]:
    """Records that contain one of `names` by value (fields, arrays), transitively."""
    found: set[str] = set()
    grow = set(names)
    while grow:
        grow = {i.rust_name or "" for i in report.items
                if i.kind in ("struct", "union") and i.rust_name not in names | found
                and any("*" not in f.type and set(re.findall(r"\w+", f.type)) & grow
                        for f in i.fields)}
        found |= grow
    return found


def check_layouts(text: str) -> set[str]:
    """kbind's sizes, alignments and offsets are rustc's for bindgen's output,
    and kbind's repr-conflict findings are exactly what rustc rejects. Returns
    the rejected records (whose layouts cannot be checked)."""
    report = audit_text(text)
    conflicts = _conflicts(report)
    program, expected = layout_program(report, bindgen_text(text, TARGETS[0]))
    build, actual = rustc(program)
    if conflicts or build.returncode != 0:
        assert rejected_by_rustc(build.stderr, program) == conflicts, build.stderr[-3000:]
        return conflicts
    # kbind's layout-mismatch findings are exactly where rustc leaves C's layout
    # (and the records holding one whose size changed by value, which grow too).
    wrong = {k: (v, actual.get(k)) for k, v in expected.items() if actual.get(k) != v}
    misplaced = {i.rust_name or "" for i in report.items
                 if i.emitted and i.code == Code.RUST_LAYOUT_DIFFERS}
    misplaced |= holders(report, misplaced & set(wrong))
    assert {k.split(".")[0] for k in wrong} == misplaced, f"{text}\n(kbind, rustc): {wrong}"
    return conflicts


@settings(max_examples=max(5, settings().max_examples // 2))
@given(cs.headers(max_groups=10))
def test_layouts_match_rustc(groups: list[cs.Group]) -> None:
    groups = without_bindgen_crashes(groups)
    conflicts = check_layouts(cs.render(groups))
    if conflicts:  # check the layouts of everything else
        kept = [g for g in groups if not any(n.startswith(g.prefix) for n in conflicts)]
        assert not check_layouts(cs.render(kept))


@pytest.mark.parametrize("header", REGRESSIONS, ids=lambda p: Path(p).name)
def test_regression_layouts_match_rustc(header: str) -> None:
    check_layouts(Path(header).read_text())


@pytest.mark.parametrize("header", sorted((HEADERS / "regressions/bindgen_crashes").glob("*.h")),
                         ids=lambda p: p.name)
def test_bindgen_crashes_are_predicted(header: Path) -> None:
    """Each macro alone: bindgen panics exactly on those kbind flags."""
    for line in header.read_text().splitlines():
        if not line.startswith("#define "):
            continue
        name = line.split()[1]
        report = audit_text(line + "\n")
        flagged = any(f.rule == "macro-crashes-bindgen" for f in report.findings)
        try:
            bindgen_text(line + "\n", TARGETS[0])
            crashed = False
        except RuntimeError as exc:
            assert "panicked" in str(exc), exc
            crashed = True
        assert flagged == crashed, (name, flagged, crashed)


@pytest.mark.parametrize("header", [str(HEADERS / "bindings_helper.h"), *REGRESSIONS],
                         ids=lambda p: Path(p).name)
def test_diff_of_a_fixture_with_itself_is_empty(header: str) -> None:
    from kbind.diff import diff_reports

    report = audit_text(Path(header).read_text()).to_json() if "regressions" in header \
        else fixture_report().to_json()
    assert diff_reports(report, json.loads(json.dumps(report))).changes == []


@given(cs.headers(max_groups=5), st.sampled_from(TARGETS))
def test_diff_of_a_random_header_with_itself_is_empty(groups: list[cs.Group],
                                                      target: str) -> None:
    from kbind.diff import diff_reports

    report = audit_text(cs.render(groups), target).to_json()
    assert diff_reports(report, json.loads(json.dumps(report))).changes == []
