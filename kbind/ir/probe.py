"""What clang says about macros as C expressions, and the tree's const helpers.

Filled by `kbind.clang.probe` from one extra, batched parse; read by the
const-helper checks and generator. Plain data, no clang import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kbind.ir.decls import Location

# bindings_helper.h names the helper for macro X `RUST_CONST_HELPER_X`;
# rust/Makefile renames it to X in the Rust output.
CONST_HELPER_PREFIX = "RUST_CONST_HELPER_"


@dataclass(frozen=True)
class CExprType:
    """The C type of an expression, as clang gives it."""

    spelling: str  # typedef sugar kept: `gfp_t`, `size_t`, `unsigned long`
    canonical: str  # `unsigned int`
    kind: str  # "int" | "bool" | "float" | "pointer" | "void" | "function" | "array" | "other"
    size: int  # bytes; -1 when unknown
    signed: bool = False

    def holds(self, value: int) -> bool:
        """Whether an integer type of this width and signedness can hold `value`."""
        bits = self.size * 8
        if self.kind == "bool":
            return value in (0, 1)
        if self.signed:
            return -(1 << (bits - 1)) <= value < (1 << (bits - 1))
        return 0 <= value < (1 << bits)


@dataclass(frozen=True)
class MacroExpr:
    """An object-like macro used as `(NAME)` after the header."""

    name: str
    type: CExprType | None  # None: the body does not form an expression
    value: int | float | None = None  # None: not a compile-time constant
    error: str | None = None  # clang's first complaint, when any


@dataclass(frozen=True)
class ConstHelperDecl:
    """`const T RUST_CONST_HELPER_<name> = <rhs>;` as found in the header."""

    name: str  # the part after RUST_CONST_HELPER_
    location: Location
    type: CExprType
    rhs: tuple[str, ...]  # initializer tokens as written
    value: int | float | None = None  # clang's value of the variable

    @property
    def rhs_macro(self) -> str | None:
        """The single identifier the initializer names, parentheses aside."""
        words = [t for t in self.rhs if t not in ("(", ")")]
        if len(words) == 1 and (words[0][0].isalpha() or words[0][0] == "_"):
            return words[0]
        return None


@dataclass
class ProbeResult:
    macros: dict[str, MacroExpr] = field(default_factory=dict)
    helpers: list[ConstHelperDecl] = field(default_factory=list)
    seconds: float = 0.0
