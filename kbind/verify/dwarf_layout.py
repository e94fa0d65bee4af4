"""`kbind layout --verify`: prove record layouts against the compiler's DWARF.

A probe C file includes the header and declares, for every named struct and
union Rust sees,

    struct foo *__kbind_t_7;                      /* emits the type's DWARF */
    char (*__kbind_a_7)[__alignof__(struct foo)]; /* its alignment, as an array length */

It is compiled with the same flags plus `-g`; llvm-dwarfdump's DIE tree then
gives sizes, member offsets and bitfield positions, and the probe arrays give
alignments (DWARF only records an alignment when the source asked for one).
Anonymous records are reached through their parent's members. For each
record, three things are compared with the compiler:

- kbind's C facts: the record's size and alignment and each member's offset
  (what kbind reports from libclang);
- the Rust layout of the fields kbind predicts bindgen emits (bitfield units,
  padding, blobs), as rustc lays out `#[repr(C)]`: size, alignment, the offset
  of every member, and the bit position of every bitfield accessor.

Any difference is an error finding (`layout-mismatch`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kbind.api import display_path, parse
from kbind.checks.opaque import by_value
from kbind.errors import InputError
from kbind.ir import CType, Record, Ref, TranslationUnit, Typedef
from kbind.predict.items import Predictor
from kbind.predict.naming import Namer
from kbind.predict.options import BindgenOptions
from kbind.predict.rust_layout import RecordLayout, RustRecords, UnknownLayout
from kbind.predict.versions import DEFAULT as DEFAULT_VERSION
from kbind.predict.versions import BindgenVersion, checked
from kbind.profile.ffi import get_profile
from kbind.profile.targets import Target, get_target
from kbind.report import Finding, Item
from kbind.verify import dwarf

RULE = "layout-mismatch"
# report(what, kbind's value, the compiler's value, which side of kbind says it)
Reporter = Callable[[str, object, object, str], None]


@dataclass
class LayoutResult:
    header: str
    target: str
    checked: int = 0  # records compared with the compiler
    members: int = 0  # member offsets and bitfield positions compared
    mismatches: list[Finding] = field(default_factory=list)
    unchecked: list[tuple[str, str]] = field(default_factory=list)  # (record, why)
    seconds: float = 0.0


def typedef_names(tu: TranslationUnit) -> dict[str, str]:
    """Record id -> the typedef that names it, for typedef-named anonymous records."""
    return {decl.underlying.decl_id: decl.name for decl in tu.decls
            if isinstance(decl, Typedef) and isinstance(decl.underlying, Ref)}


def c_spelling(rec: Record, typedefs: dict[str, str]) -> str | None:
    """How C names the record: `struct foo`, or the typedef of an anonymous one."""
    if rec.name is None:
        return None
    if rec.decl_id.startswith(("c:@SA@", "c:@UA@")):
        # libclang spells a typedef-named anonymous record with the typedef's name.
        return rec.name if typedefs.get(rec.decl_id) == rec.name else None
    return f"{rec.kind} {rec.name}"


def probe_source(header: str, spellings: Sequence[str]) -> str:
    lines = [f'#include "{os.path.abspath(header)}"']
    for i, spelling in enumerate(spellings):
        lines.append(f"{spelling} *__kbind_t_{i}; "
                     f"char (*__kbind_a_{i})[__alignof__({spelling})];")
    return "\n".join(lines) + "\n"


def compile_probe(source: str, header: str, clang_args: Sequence[str], triple: str,
                  workdir: str) -> str:
    """Compile the probe with the header's flags and -g; return the object path."""
    clang = os.environ.get("KBIND_CLANG") or shutil.which("clang") or "clang"
    src = os.path.join(workdir, "kbind_layout_probe.c")
    obj = os.path.join(workdir, "kbind_layout_probe.o")
    with open(src, "w", encoding="utf-8") as fh:
        fh.write(source)
    args = [a for a in clang_args if a not in ("-fsyntax-only",)]
    if not any(a.startswith(("--target", "-target")) for a in args):
        args.insert(0, f"--target={triple}")
    argv = [clang, "-x", "c", *args, f"-I{os.path.dirname(os.path.abspath(header))}",
            "-w", "-c", "-g", "-gdwarf-5", "-O0", "-o", obj, src]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        first = next((ln for ln in proc.stderr.splitlines() if "error" in ln), proc.stderr)
        raise InputError(f"{header}: the layout probe does not compile ({first.strip()}); "
                         "check the flags")
    return obj


class Verifier:
    def __init__(self, tu: TranslationUnit, items: list[Item], options: BindgenOptions,
                 target: Target, dies: dict[int, dwarf.Die], root: str | None) -> None:
        self.tu = tu
        self.namer = Namer(tu)
        self.options = options
        self.dies = dies
        self.root = root
        self.rust = RustRecords(tu, items, target)
        self.by_name = self.rust.by_name
        self.records = self.rust.records

    def rust_layout(self, rust_name: str) -> RecordLayout:
        return self.rust.layout(rust_name)

    # -- comparison -----------------------------------------------------------

    def compare(self, rust_name: str, die: dwarf.Die, align: int | None,
                result: LayoutResult) -> None:
        item, rec = self.by_name[rust_name], self.records[rust_name]
        label = f"{item.kind} `{rust_name}`"

        def mismatch(what: str, ours: object, theirs: object, side: str) -> None:
            cause = self.rust.cause(rust_name) if side != "kbind (C)" else None
            why = f" (cause: {cause})" if cause else ""
            result.mismatches.append(Finding(
                RULE, "error", f"{label}: {what}: {side} says {ours}, the compiler "
                f"{theirs}{why}", rec.location, rust_name))

        size = die.number("DW_AT_byte_size") or 0
        result.checked += 1
        if item.size != size:
            mismatch("size", item.size, size, "kbind (C)")
        if align is not None and item.align != align:
            mismatch("alignment", item.align, align, "kbind (C)")
        try:
            rust = self.rust_layout(rust_name)
        except UnknownLayout as exc:
            result.unchecked.append((rust_name, f"Rust layout unknown: {exc}"))
            return
        if rust.size != size:
            mismatch("size", rust.size, size, "the Rust struct")
        if align is not None and rust.align != align:
            mismatch("alignment", rust.align, align, "the Rust struct")
        if item.opaque:
            return
        self._members(item, die, rust, result, mismatch)

    def _members(self, item: Item, die: dwarf.Die, rust: RecordLayout, result: LayoutResult,
                 report: Reporter) -> None:
        c_members = dwarf.members(die)
        named = {m.name: m for m in c_members if m.name}
        unnamed = [m for m in c_members if not m.name]
        for f in item.fields:
            if f.name.startswith("__bindgen_anon_"):
                nth = int(f.name.rsplit("_", 1)[1]) - 1
                member = unnamed[nth] if nth < len(unnamed) else None
            elif f.c_name is not None:
                member = named.get(f.c_name)
            else:
                member = None
            if member is not None:
                result.members += 1
                if f.offset_bits is not None and f.offset_bits != member.offset_bits:
                    report(f"offset of `{f.c_name or f.name}` (bits)", f.offset_bits,
                           member.offset_bits, "kbind (C)")
                if rust.offsets[f.name] * 8 != member.offset_bits:
                    report(f"offset of `{f.name}` (bits)", rust.offsets[f.name] * 8,
                           member.offset_bits, "the Rust struct")
            for bf in f.bitfields:
                c_bf = named.get(bf.name)
                if c_bf is None:
                    report(f"bitfield `{bf.name}`", "present", "has no such member",
                           "kbind")
                    continue
                result.members += 1
                position = rust.offsets[f.name] * 8 + bf.bit_offset
                width = c_bf.bit_size or dwarf.type_bits(self.dies, c_bf.type_ref)
                if position != c_bf.offset_bits or bf.bit_width != width:
                    report(f"bitfield `{bf.name}` (bit offset, width)",
                           (position, bf.bit_width), (c_bf.offset_bits, width),
                           f"the Rust accessor on `{f.name}`")
        seen = {f.c_name for f in item.fields} | {bf.name for f in item.fields
                                                    for bf in f.bitfields}
        for name in sorted(set(named) - seen):
            report(f"member `{name}`", "nothing", "has it", "kbind")
        anonymous = sum(f.name.startswith("__bindgen_anon_") for f in item.fields)
        if anonymous != len(unnamed):
            report("anonymous members", anonymous, len(unnamed), "kbind")

    def nested(self, rust_name: str, die: dwarf.Die) -> list[tuple[str, dwarf.Die]]:
        """Anonymous records declared in this one, paired with their DIEs."""
        rec = self.records.get(rust_name)
        if rec is None:
            return []
        c_members = dwarf.members(die)
        named = {m.name: m for m in c_members if m.name}
        unnamed = iter([m for m in c_members if not m.name])
        out = []
        for f in rec.fields:
            if f.bit_width is not None and not f.name:
                continue
            member = next(unnamed, None) if f.name is None else named.get(f.name)
            target = _record_ref(self.tu, f.type)
            if member is None or target is None:
                continue
            inner = self.tu.resolve(target)
            if isinstance(inner, Record) and inner.name is None and inner.complete:
                inner_die = dwarf.strip_to_record(self.dies, member.type_ref, through_arrays=True)
                if inner_die is not None:
                    out.append((self.namer.rust_name(target), inner_die))
        return out


def _record_ref(tu: TranslationUnit, t: CType) -> str | None:
    t = by_value(tu, t)
    return t.decl_id if isinstance(t, Ref) and t.kind in ("struct", "union") else None


def verify(header: str, clang_args: Sequence[str] = (), target: str | None = None,
           bindgen_args: Sequence[str] = (), types: Sequence[str] = (),
           root: str | None = None, keep_going: bool = False,
           bindgen_version: str = str(DEFAULT_VERSION)) -> LayoutResult:
    """Compare every emitted struct and union (or only `types`) with the compiler."""
    start = time.perf_counter()
    tgt = get_target(target)
    tu = parse(header, clang_args, tgt.triple, keep_going, root)
    options = BindgenOptions.from_argv(list(bindgen_args),
                                       checked(BindgenVersion.parse(bindgen_version)))
    items = Predictor(tu, get_profile("kernel", tgt), options).items()
    result = LayoutResult(display_path(header, root), tgt.triple)
    namer = Namer(tu)
    wanted = set(types)
    named: list[tuple[str, str]] = []  # (rust name, C spelling)
    typedefs = typedef_names(tu)
    emitted = {i.rust_name for i in items if i.kind in ("struct", "union") and i.emitted}
    for decl in tu.decls:
        if not isinstance(decl, Record) or not decl.complete:
            continue
        rust_name = namer.rust_name(decl.decl_id)
        if rust_name not in emitted or (wanted and rust_name not in wanted):
            continue
        spelling = c_spelling(decl, typedefs)
        if decl.location.file == "<builtin>":
            result.unchecked.append((rust_name, "a compiler builtin record"))
        elif spelling is not None:
            named.append((rust_name, spelling))
        elif decl.name is not None:
            result.unchecked.append((rust_name, "no C spelling reaches it"))
    unknown = wanted - {n for n, _ in named}
    for name in sorted(unknown):
        result.unchecked.append((name, "not a named struct or union that bindgen emits"))
    with tempfile.TemporaryDirectory(prefix="kbind-layout-") as tmp:
        obj = compile_probe(probe_source(header, [s for _, s in named]), header, clang_args,
                            tgt.triple, tmp)
        dies = dwarf.read_dies(obj)
    variables = {d.name: d for d in dies.values() if d.tag == "DW_TAG_variable" and d.name}
    verifier = Verifier(tu, items, options, tgt, dies, root)
    done: set[str] = set()
    queue: list[tuple[str, dwarf.Die, int | None]] = []
    for i, (rust_name, _) in enumerate(named):
        var_t, var_a = variables.get(f"__kbind_t_{i}"), variables.get(f"__kbind_a_{i}")
        die = dwarf.strip_to_record(dies, var_t.ref()) if var_t is not None else None
        if die is None:
            result.unchecked.append((rust_name, "not found in the probe's DWARF"))
            continue
        align = dwarf.array_count(dies, var_a.ref()) if var_a is not None else None
        queue.append((rust_name, die, align))
    while queue:
        rust_name, die, align = queue.pop(0)
        if rust_name in done:
            continue
        done.add(rust_name)
        verifier.compare(rust_name, die, align, result)
        # Anonymous records have no C name for __alignof__: size, offsets only.
        queue.extend((n, d, None) for n, d in verifier.nested(rust_name, die) if n not in done)
    result.seconds = time.perf_counter() - start
    return result


def render_text(result: LayoutResult) -> str:
    lines = [f"{f.location.file}:{f.location.line}:{f.location.column}: {f.severity}: "
             f"{f.message} [{f.rule}]" for f in result.mismatches]
    lines += [f"note: `{name}` not checked: {why}" for name, why in result.unchecked]
    lines.append(f"kbind layout: {len(result.mismatches)} mismatches over {result.checked} "
                 f"types ({result.members} members and bitfields) for {result.target}; "
                 f"{len(result.unchecked)} not checked; {result.seconds:.1f} s")
    return "\n".join(lines) + "\n"


def render_json(result: LayoutResult) -> str:
    data = {"schema": "kbind-layout/1", "header": result.header, "target": result.target,
            "checked": result.checked, "members": result.members,
            "mismatches": [f.to_json() for f in result.mismatches],
            "unchecked": [{"type": n, "reason": why} for n, why in result.unchecked]}
    return json.dumps(data, indent=2) + "\n"
