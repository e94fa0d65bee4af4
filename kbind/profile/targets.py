"""Target triples kbind knows: the C facts that change Rust types."""

from __future__ import annotations

from dataclasses import dataclass

from kbind.errors import UsageError


@dataclass(frozen=True)
class Target:
    triple: str
    kernel_arch: str  # ARCH= for the kernel's make
    pointer_bits: int
    long_bits: int
    char_signed: bool  # the C ABI's plain char (the kernel forces unsigned)
    long_double: str  # Rust type bindgen uses for long double


TARGETS: dict[str, Target] = {
    t.triple: t
    for t in (
        Target("x86_64-linux-gnu", "x86", 64, 64, True, "u128"),
        Target("aarch64-linux-gnu", "arm64", 64, 64, False, "u128"),
        Target("riscv64-linux-gnu", "riscv", 64, 64, False, "u128"),
        Target("arm-linux-gnueabi", "arm", 32, 32, False, "f64"),
        Target("i386-linux-gnu", "x86", 32, 32, True, "u128"),
    )
}

ALIASES = {
    "x86_64": "x86_64-linux-gnu", "x86": "x86_64-linux-gnu", "amd64": "x86_64-linux-gnu",
    "arm64": "aarch64-linux-gnu", "aarch64": "aarch64-linux-gnu",
    "riscv64": "riscv64-linux-gnu", "riscv": "riscv64-linux-gnu",
    "arm": "arm-linux-gnueabi", "arm32": "arm-linux-gnueabi",
    "i386": "i386-linux-gnu", "i686": "i386-linux-gnu",
    "x86_64-unknown-linux-gnu": "x86_64-linux-gnu",
    "aarch64-unknown-linux-gnu": "aarch64-linux-gnu",
    "riscv64-unknown-linux-gnu": "riscv64-linux-gnu",
}

DEFAULT_TARGET = "x86_64-linux-gnu"


def get_target(name: str | None) -> Target:
    key = ALIASES.get(name or DEFAULT_TARGET, name or DEFAULT_TARGET)
    try:
        return TARGETS[key]
    except KeyError:
        known = ", ".join(sorted(TARGETS))
        raise UsageError(f"unknown target '{name}'; known targets: {known}") from None
