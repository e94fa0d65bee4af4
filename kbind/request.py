"""One audit request: every input an audit's answer depends on, declared once.

The CLI and the library build an `AuditRequest`; `kbind.api.run` audits it,
the cache keys on `key_fields()`, the process pool ships it to workers, and
every command (review, diff, portability, helpers, const-helpers, layout)
starts from one. A kernel tree becomes a request in one place:
`AuditRequest.for_kernel_tree`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from kbind.errors import UsageError
from kbind.predict.versions import DEFAULT as DEFAULT_BINDGEN


@dataclass(frozen=True)
class AuditRequest:
    header: str
    clang_args: tuple[str, ...] = ()
    profile: str = "kernel"  # kernel (ffi) | stock (core::ffi)
    target: str | None = None  # a triple or arch name; None: the host's default
    bindgen_args: tuple[str, ...] = ()  # rust/bindgen_parameters options
    keep_going: bool = False  # report what clang could parse past its errors
    root: str | None = None  # paths in the report are relative to it
    hazards: tuple[str, ...] | None = None  # None: the audit-scope hazard rules
    layouts: tuple[str, ...] = ()  # structs laid out pahole-style
    strict_layouts: bool = True  # an unknown --layout name is a usage error
    macro_types: bool = True  # probe the macros bindgen cannot evaluate
    kernel_tree: str | None = None  # check the tree's Rust code for missing bindings
    helpers_dir: str | None = None  # a rust/helpers folder whose shims are recognised
    check_bodies: bool = False  # reparse bodies for inline-not-wrappable
    bindgen_version: str = str(DEFAULT_BINDGEN)  # the bindgen predicted (predict.versions)

    def __post_init__(self) -> None:
        # Lists from callers become tuples: a request is hashable and picklable.
        for name in ("clang_args", "bindgen_args", "layouts"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.hazards is not None:
            object.__setattr__(self, "hazards", tuple(self.hazards))

    def with_(self, **changes: Any) -> AuditRequest:
        return replace(self, **changes)

    def key_fields(self) -> dict[str, Any]:
        """What the answer depends on besides file contents, paths made absolute
        and the target resolved to its triple; the cache keys on it."""
        from kbind.profile.targets import get_target

        def absolute(path: str | None) -> str | None:
            return None if path is None else os.path.abspath(path)

        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        out.update(header=os.path.abspath(self.header), target=get_target(self.target).triple,
                   root=os.path.abspath(self.root or os.getcwd()),
                   kernel_tree=absolute(self.kernel_tree), helpers_dir=absolute(self.helpers_dir))
        return out

    @classmethod
    def for_kernel_tree(cls, tree: str, header: str | None = None, *,
                        clang_args: Sequence[str] = (), bindgen_args: Sequence[str] = (),
                        target: str | None = None, check_target: bool = False,
                        scan_rust: bool = True, find_helpers: bool = True,
                        **options: Any) -> AuditRequest:
        """The audit of a prepared tree's bindings_helper.h (or `header`), with the
        flags and bindgen parameters its rust/Makefile would use, then the
        caller's extra `clang_args` and `bindgen_args`. `check_target` refuses a
        target other than the tree's; `scan_rust` checks its Rust code;
        `find_helpers` recognises its rust/helpers."""
        from kbind.kernel.flags import derive_flags

        kflags = derive_flags(tree, header)
        if check_target and target is not None:
            from kbind.profile.targets import get_target

            if get_target(target).triple != get_target(kflags.target).triple:
                raise UsageError(f"{tree} is configured for {kflags.target}; a kernel tree "
                                 "builds one architecture, so compare two trees (one per "
                                 "architecture) instead of --target on one tree")
        root = str(kflags.tree)
        helpers = os.path.join(root, "rust", "helpers")
        if find_helpers and options.get("helpers_dir") is None and os.path.isdir(helpers):
            options["helpers_dir"] = helpers
        return cls(header=str(kflags.header),
                   clang_args=(*kflags.clang_args, *clang_args),
                   bindgen_args=(*kflags.bindgen_parameters.argv, *bindgen_args),
                   target=target or kflags.target, root=root,
                   kernel_tree=root if scan_rust else None, **options)
