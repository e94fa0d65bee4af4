"""`kbind review`: what adding headers to bindings_helper.h would bring to Rust.

For each new header, kbind audits a probe that includes the base
(bindings_helper.h, or `--base`) and then the header, and subtracts every
item the base alone already brings (identity: kind and name). What is left
is the news: the items Rust would see, the helpers owed, and the hazards.
One translation unit per process (kbind.runner).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kbind.diff.compare import identity
from kbind.errors import InputError, UsageError
from kbind.portability import as_finding as portability_finding
from kbind.portability import compare_reports
from kbind.report import Finding, Item, Report, StructLayout, Tools
from kbind.runner import AuditJob, run_audits
from kbind.sources import Common, header_job, tree_job

REVIEW_SCHEMA = "kbind-review/1"
HELPER_RULES = ("inline-needs-helper", "macro-needs-helper")
CONST_HELPER_RULES = ("macro-needs-const-helper",)
DROPPED_RULES = ("not-emitted", "blocklisted")


@dataclass
class HeaderReview:
    header: str  # as the user named it
    include: str  # the #include line's target
    items: list[Item] = field(default_factory=list)  # new items Rust sees
    not_emitted: int = 0  # new declarations Rust will not see (their findings say why)
    helpers: list[Finding] = field(default_factory=list)
    const_helpers: list[Finding] = field(default_factory=list)
    hazards: list[Finding] = field(default_factory=list)
    dropped: list[Finding] = field(default_factory=list)
    layouts: list[StructLayout] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"items": len(self.items), "not_emitted": self.not_emitted,
                "helpers": len(self.helpers), "const_helpers": len(self.const_helpers),
                "hazards": len(self.hazards), "dropped": len(self.dropped)}

    def findings(self) -> list[Finding]:
        return self.helpers + self.const_helpers + self.hazards + self.dropped

    def to_json(self) -> dict[str, Any]:
        return {"header": self.header, "include": self.include, "counts": self.counts(),
                "items": [i.to_json() for i in self.items],
                "helpers": [f.to_json() for f in self.helpers],
                "const_helpers": [f.to_json() for f in self.const_helpers],
                "hazards": [f.to_json() for f in self.hazards],
                "not_emitted": [f.to_json() for f in self.dropped],
                "layouts": [lay.to_json() for lay in self.layouts]}


@dataclass
class ReviewReport:
    base: str | None
    tree: str | None
    profile: str
    targets: list[str]
    base_items: int
    headers: list[HeaderReview] = field(default_factory=list)
    tools: Tools | None = None  # the tool versions of the audits reviewed

    def to_json(self) -> dict[str, Any]:
        return {"schema": REVIEW_SCHEMA, "base": self.base, "tree": self.tree,
                "profile": self.profile, "target": self.targets[0], "targets": self.targets,
                "base_items": self.base_items,
                "tools": None if self.tools is None else self.tools.to_json(),
                "headers": [h.to_json() for h in self.headers]}


def include_target(arg: str, tree: str | None) -> str:
    """What the probe #includes for a header argument: `<linux/x.h>` or `"/abs/x.h"`."""
    name = arg.strip()
    if name.startswith("<") and name.endswith(">"):
        name = name[1:-1]
    if tree is not None:
        inc = Path(tree).resolve() / "include"
        path = Path(name)
        full = path.resolve() if path.is_file() else inc / name
        if full.is_file():
            try:
                return f"<{full.relative_to(inc).as_posix()}>"
            except ValueError:
                return f'"{full}"'
    if os.path.isfile(name):
        return f'"{os.path.abspath(name)}"'
    where = f" or under {tree}/include" if tree else ""
    raise InputError(f"{arg}: header not found (as a path{where}); check the name")


def _probe_text(base: str | None, include: str) -> str:
    # Only #include lines: pycparser's AST has no preprocessor nodes, so the
    # two lines are checked here rather than generated.
    lines = ["/* kbind review probe: the base, then the proposed header. */"]
    for target in ([f'"{base}"'] if base else []) + [include]:
        if any(c in target for c in "\n\r\0") or len(target) < 3:
            raise InputError(f"{target}: not a usable #include target")
        lines.append(f"#include {target}")
    return "\n".join(lines) + "\n"


def _defined(item: Item) -> bool:
    return item.kind not in ("struct", "union") or item.size is not None


def _new_items(base: Report | None, probe: Report) -> tuple[list[Item], int, set[Any]]:
    """Items the base does not bring, and types the base only forward-declares
    that the probe defines (Rust gains their fields: that is news too)."""
    known: dict[Any, Item] = {}
    for i in base.items if base is not None else ():
        key = identity(i.to_json())
        if key not in known or _defined(i):
            known[key] = i
    new = [i for i in probe.items
           if (old := known.get(identity(i.to_json()))) is None
           or (_defined(i) and not _defined(old))]
    visible = [i for i in new if i.emitted]
    return visible, len(new) - len(visible), {(i.location, i.name or i.rust_name) for i in new}


def _split(h: HeaderReview, findings: Sequence[Finding], new_keys: set[Any]) -> None:
    for f in findings:
        if f.rule != "padding-hole" and (f.location, f.item) not in new_keys:
            continue
        if f.rule in HELPER_RULES:
            h.helpers.append(f)
        elif f.rule in CONST_HELPER_RULES:
            h.const_helpers.append(f)
        elif f.rule in DROPPED_RULES:
            h.dropped.append(f)
        else:
            h.hazards.append(f)


def review(headers: Sequence[str], common: Common, kernel_tree: str | None = None,
           base: str | None = None, targets: Sequence[str] = (), jobs: int | None = None,
           cache: bool = False) -> ReviewReport:
    """`cache`: reuse the base's report from $XDG_CACHE_HOME/kbind (the probes, new
    files each run, are always audited afresh)."""
    if kernel_tree and base:
        raise UsageError("kbind review: give --kernel-tree or --base, not both")
    if kernel_tree and len(targets) > 1:
        raise UsageError("kbind review: a kernel tree builds one architecture; for several "
                         "targets use `kbind portability --kernel-tree A --kernel-tree B`")
    targets = list(targets) or [None]  # type: ignore[list-item]
    tmp = tempfile.mkdtemp(prefix="kbind-review-")
    try:
        return _review(headers, common, kernel_tree, base, targets, jobs, tmp, cache)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _review(headers: Sequence[str], common: Common, tree: str | None, base: str | None,
            targets: list[str | None], jobs: int | None, tmp: str, cache: bool = False
            ) -> ReviewReport:
    base_common = replace(common, hazards=(), layouts=())
    probe_common = replace(common, clang_args=common.clang_args + tuple(
        f"-I{os.path.dirname(os.path.abspath(h))}" for h in headers if os.path.isfile(h)))
    if tree is not None:
        base_job: AuditJob | None = tree_job(tree, base_common, targets[0], label="base")
        base_path: str | None = base_job.request.header
    elif base is not None:
        base_job = header_job(base, base_common, targets[0], label="base")
        base_path = os.path.abspath(base)
    else:
        base_job, base_path = None, None
    includes = [include_target(h, tree) for h in headers]
    work: list[AuditJob] = [replace(base_job, cache=cache)] if base_job else []
    for i, (h, inc) in enumerate(zip(headers, includes, strict=True)):
        probe = os.path.join(tmp, f"probe{i}.h")
        with open(probe, "w", encoding="utf-8") as fh:
            fh.write(_probe_text(base_path, inc))
        for t in targets:
            label = os.path.basename(h) + (f" [{t}]" if t and len(targets) > 1 else "")
            if tree is not None:
                job = tree_job(tree, probe_common, t, header=probe, label=label)
            else:
                job = header_job(probe, probe_common, t, label=label)
            work.append(replace(job, request=job.request.with_(strict_layouts=False)))
    reports = run_audits(work, jobs)
    base_report = reports.pop(0) if base_job else None
    out = ReviewReport(base=base_report.header if base_report else None,
                       tree=os.path.basename(os.path.abspath(tree)) if tree else None,
                       profile=common.profile,
                       targets=[r.target for r in reports[:len(targets)]],
                       base_items=len(base_report.items) if base_report else 0,
                       tools=(base_report or reports[0]).tools if base_report or reports
                       else None)
    per = len(targets)
    for i, (h, inc) in enumerate(zip(headers, includes, strict=True)):
        probes = reports[i * per:(i + 1) * per]
        items, dropped, keys = _new_items(base_report, probes[0])
        shown = inc if inc.startswith("<") else f'"{h}"'  # no absolute paths in output
        hr = HeaderReview(h, shown, items, dropped)
        _split(hr, probes[0].findings, keys)
        hr.layouts = probes[0].layouts
        if per > 1:
            hr.hazards += _portability(probes, items)
        out.headers.append(hr)
    _check_layouts(common.layouts, out)
    return out


def _portability(probes: list[Report], items: list[Item]) -> list[Finding]:
    wanted = {identity(i.to_json()) for i in items}
    docs = [p.to_json() for p in probes]
    labels = [p.target for p in probes]
    return [portability_finding(d, labels[0]) for d in compare_reports(docs, labels)
            if (d.kind, d.name) in wanted]


def _check_layouts(names: Sequence[str], out: ReviewReport) -> None:
    found = {lay.name for h in out.headers for lay in h.layouts}
    found |= {f.item for h in out.headers for f in h.hazards if f.rule == "padding-hole"}
    missing = [n for n in names if n not in found and not any(
        n in (lay.name, f"{lay.kind} {lay.name}") for h in out.headers for lay in h.layouts)]
    if missing:
        raise UsageError(f"--layout: no struct or union named {', '.join(missing)} is "
                         "defined in the reviewed headers")
