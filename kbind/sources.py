"""Where a report comes from: a saved JSON report, a header, or a kernel tree.

`diff`, `review` and `portability` accept any of these; this module turns a
command-line argument into either a loaded JSON report or an `AuditJob`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from typing import Any

from kbind.errors import InputError, UsageError
from kbind.report import READABLE_SCHEMAS, SCHEMA
from kbind.request import AuditRequest, resolve_bindgen
from kbind.runner import AuditJob


@dataclass(frozen=True)
class Common:
    """Flags shared by every source: extra clang args, profile, hazards."""

    clang_args: tuple[str, ...] = ()
    bindgen_args: tuple[str, ...] = ()
    profile: str = "kernel"
    hazards: tuple[str, ...] | None = None
    layouts: tuple[str, ...] = ()
    keep_going: bool = False
    bindgen_version: str | None = None  # as given; None: detected for each source
    bindgen_flag: str = "--bindgen-version"  # the option that gave it, for the report


def load_report_json(path: str) -> dict[str, Any]:
    """A saved `kbind audit --format json` report, checked for its schema."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not JSON ({exc}); give a report written by "
                         "`kbind audit --format json`") from None
    if not isinstance(data, dict) or data.get("schema") not in READABLE_SCHEMAS:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise InputError(f"{path}: not a {SCHEMA} report (schema: {found}); give a report "
                         "written by `kbind audit --format json`")
    if not isinstance(data.get("items"), list):
        raise InputError(f"{path}: the report has no item list; it is truncated or edited")
    return data


def _bindgen(common: Common, tree: str | None) -> dict[str, str]:
    version, source = resolve_bindgen(common.bindgen_version, tree, common.bindgen_flag)
    return {"bindgen_version": version, "bindgen_source": source}


def tree_job(tree: str, common: Common, target: str | None = None,
             header: str | None = None, label: str | None = None) -> AuditJob:
    """An audit of a kernel tree's bindings_helper.h (or `header`) with its flags."""
    request = AuditRequest.for_kernel_tree(
        tree, header, clang_args=common.clang_args, bindgen_args=common.bindgen_args,
        target=target, check_target=True, scan_rust=False, find_helpers=False,
        profile=common.profile, hazards=common.hazards, layouts=common.layouts,
        keep_going=common.keep_going, **_bindgen(common, tree))
    tree_path = request.root or tree
    return AuditJob(label=label or os.path.basename(tree_path) or tree_path, request=request,
                    meta={"source": str(tree), "tree": tree_path})


def header_job(header: str, common: Common, target: str | None = None,
               label: str | None = None) -> AuditJob:
    if not os.path.isfile(header):
        raise InputError(f"{header}: no such file; give a header, a kernel tree or a "
                         "JSON report")
    request = AuditRequest(header, common.clang_args, common.profile, target,
                           common.bindgen_args, common.keep_going, None, common.hazards,
                           common.layouts, **_bindgen(common, None))
    return AuditJob(label=label or header, request=request, meta={"source": header})


def job_for(arg: str, common: Common, target: str | None = None) -> AuditJob | dict[str, Any]:
    """A JSON report (loaded), or the audit job that makes one."""
    if os.path.isdir(arg):
        return tree_job(arg, common, target)
    if arg.endswith(".json"):
        if target is not None:
            raise UsageError(f"{arg}: a saved report has its target already; --target "
                             "applies to headers and trees")
        return load_report_json(arg)
    return header_job(arg, common, target)


def with_profile(job: AuditJob, profile: str | None) -> AuditJob:
    return job if profile is None else replace(job, request=job.request.with_(profile=profile))


