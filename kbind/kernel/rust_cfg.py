"""`#[cfg(...)]` as the kernel's rustc sees it, from the tree's `rustc_cfg`.

`make prepare` writes include/generated/rustc_cfg: one `--cfg=NAME` or
`--cfg=NAME="value"` per line, the flags rustc gets for every kernel crate.
rustc treats any other name as unset, so a `CONFIG_*` missing from the file
is false. Names kbind cannot know (a cfg of another build, say) are
*unknown*: code under them is kept, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

_FLAG = re.compile(r'--cfg=([A-Za-z_][A-Za-z0-9_]*)(?:="((?:[^"\\]|\\.)*)")?\s*$')
# Unset in a kernel build (set for tests and documentation builds only).
_UNSET = frozenset({"test", "testlib", "doc", "doctest"})
# rustc's target cfgs for the kernel's targets (`target_os` is "none").
_TARGET_ARCH = {"x86_64": "x86_64", "aarch64": "aarch64", "arm": "arm", "riscv64": "riscv64",
                "i686": "x86", "i386": "x86", "powerpc64le": "powerpc64",
                "powerpc64": "powerpc64", "loongarch64": "loongarch64"}


@dataclass(frozen=True)
class RustCfg:
    """The cfg names and name/value pairs of one kernel build."""

    names: frozenset[str] = frozenset()
    pairs: frozenset[tuple[str, str]] = frozenset()
    known: bool = False  # False: no rustc_cfg was found; every cfg is unknown
    target: dict[str, str] = field(default_factory=dict)

    def value(self, name: str, wanted: str | None = None) -> bool | None:
        """Whether `cfg(name)` (or `cfg(name = "wanted")`) holds; None: unknown."""
        if name in self.target:
            return self.target[name] == wanted if wanted is not None else None
        if name in _UNSET:
            return False
        if not self.known or not name.startswith("CONFIG_"):
            return None
        if wanted is None:
            return name in self.names
        return (name, wanted) in self.pairs


def read_rustc_cfg(tree: str | Path, triple: str | None = None) -> RustCfg:
    """The tree's rustc_cfg (an unknown configuration when there is none)."""
    target: dict[str, str] = {}
    if triple:
        arch = _TARGET_ARCH.get(triple.split("-")[0])
        if arch is not None:
            target["target_arch"] = arch
    path = Path(tree) / "include" / "generated" / "rustc_cfg"
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return RustCfg(target=target)
    names: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for line in lines:
        match = _FLAG.match(line.strip())
        if match is None:
            continue
        if match.group(2) is None:
            names.add(match.group(1))
        else:
            pairs.add((match.group(1), match.group(2)))
    return RustCfg(frozenset(names), frozenset(pairs), True, target)


def evaluate(tokens: Sequence[str], cfg: RustCfg) -> bool | None:
    """The value of a cfg predicate given as tokens (`any ( A , not ( B ) )`),
    in three values: a part kbind cannot decide makes the whole unknown
    unless the rest decides it."""
    value, end = _predicate(list(tokens), 0, cfg)
    return value if end == len(tokens) else None


def _predicate(toks: list[str], i: int, cfg: RustCfg) -> tuple[bool | None, int]:
    if i >= len(toks):
        return None, i
    name = toks[i]
    if name in ("any", "all", "not") and i + 1 < len(toks) and toks[i + 1] == "(":
        values: list[bool | None] = []
        i += 2
        while i < len(toks) and toks[i] != ")":
            value, i = _predicate(toks, i, cfg)
            values.append(value)
            if i < len(toks) and toks[i] == ",":
                i += 1
        i += 1  # the `)`
        if name == "not":
            inner = values[0] if len(values) == 1 else None
            return (None if inner is None else not inner), i
        if name == "any":
            return (True if True in values else None if None in values else False), i
        return (False if False in values else None if None in values else True), i
    if i + 2 < len(toks) and toks[i + 1] == "=":
        literal = toks[i + 2]
        wanted = literal[1:-1] if literal.startswith('"') and literal.endswith('"') else None
        return (cfg.value(name, wanted) if wanted is not None else None), i + 3
    return cfg.value(name), i + 1
