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
    # Where bindgen_version came from, for the report's tools line; not a key field.
    bindgen_source: str = "kbind's default"
    kernel_release: str | None = None  # the tree's release and config, for the report
    kernel_config: str | None = None

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
        del out["bindgen_source"]  # names the report's inputs; changes no answer
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
        options.setdefault("kernel_release", kernel_release(root))
        options.setdefault("kernel_config", kernel_config(root))
        return cls(header=str(kflags.header),
                   clang_args=(*kflags.clang_args, *clang_args),
                   bindgen_args=(*kflags.bindgen_parameters.argv, *bindgen_args),
                   target=target or kflags.target, root=root,
                   kernel_tree=root if scan_rust else None, **options)


def kernel_release(tree: str) -> str | None:
    """The tree's release: what `make prepare` wrote, else the top Makefile's."""
    import re

    try:
        with open(os.path.join(tree, "include", "config", "kernel.release")) as fh:
            return fh.read().strip() or None
    except OSError:
        pass
    try:
        with open(os.path.join(tree, "Makefile"), errors="replace") as fh:
            head = fh.read(2000)
    except OSError:
        return None
    parts = dict(re.findall(r"^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)\s*=[ \t]*(\S*)",
                            head, re.MULTILINE))
    if "VERSION" not in parts:
        return None
    return (f"{parts['VERSION']}.{parts.get('PATCHLEVEL', '0')}.{parts.get('SUBLEVEL', '0')}"
            f"{parts.get('EXTRAVERSION', '')}")


def kernel_config(tree: str) -> str | None:
    """`.config sha256:0123abcd`: which configuration the tree was prepared with."""
    import hashlib

    try:
        with open(os.path.join(tree, ".config"), "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()[:12]
    except OSError:
        return None
    return f".config sha256:{digest}"


def resolve_bindgen(given: str | None, tree: str | None,
                    flag: str = "--bindgen-version") -> tuple[str, str]:
    """(release modelled, where it came from): `given` (the value of `flag`),
    else the one detected for `tree`; an unmodelled release is a usage error."""
    from kbind.kernel.toolchain import detect_bindgen
    from kbind.predict.versions import MODELLED, release

    if given:
        text, where = given, flag
    else:
        text, where = detect_bindgen(tree, MODELLED[-1])
    try:
        return str(release(text)), where
    except UsageError as exc:
        raise UsageError(f"{exc} (bindgen {text} from {where})") from None
