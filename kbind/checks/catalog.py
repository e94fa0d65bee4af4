"""Every rule id kbind can report, with its severity, scope and help text.

SARIF's `tool.driver.rules`, the README tables and the `--hazards` choice are
all read from here, so a rule id is defined once.

Scope: `audit` rules run in every audit; `review` rules (the reviewer's
hazards, noisy on the whole kernel) run in `kbind review`, or in an audit
with `--hazards all`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: str  # default severity: "error" | "warning" | "note"
    scope: str  # "audit" | "review" | "diff" | "portability"
    short: str
    help: str


CATALOG: tuple[RuleInfo, ...] = (
    RuleInfo("inline-needs-helper", "warning", "audit",
             "inline function: Rust needs a rust_helper_ shim",
             "bindgen skips inline functions (there is no symbol to link). Add a "
             "`rust_helper_NAME` wrapper in rust/helpers/ if Rust must call it."),
    RuleInfo("macro-needs-helper", "note", "audit",
             "function-like macro: Rust sees nothing",
             "bindgen never expands function-like macros. Wrap it in a rust/helpers "
             "function if Rust needs it."),
    RuleInfo("macro-needs-const-helper", "note", "audit",
             "macro cexpr cannot evaluate: needs a RUST_CONST_HELPER_ line",
             "bindgen evaluates object-like macros with cexpr, which rejects casts, "
             "sizeof, calls and comparisons. Declare `const T RUST_CONST_HELPER_NAME = "
             "NAME;` in bindings_helper.h if Rust needs the value."),
    RuleInfo("opaque-type", "warning", "audit",
             "type emitted as an opaque blob",
             "bindgen emits `_bindgen_opaque_blob` (listed with --opaque-type, or a "
             "bitfield wider than its type): Rust keeps the size and alignment but "
             "cannot reach any field; use C helpers for field access."),
    RuleInfo("blocklisted", "note", "audit",
             "item removed by a --blocklist option",
             "rust/bindgen_parameters blocklists this item; Rust defines it by hand or "
             "does without it."),
    RuleInfo("not-emitted", "note", "audit",
             "item bindgen does not emit",
             "static functions, stdint typedefs, typedefs naming their own struct and "
             "redefinitions produce no Rust item; the finding says which."),
    RuleInfo("packed-type", "warning", "audit",
             "packed type: no references to its fields",
             "bindgen emits `#[repr(C, packed)]`. Rust forbids taking a reference to a "
             "field of a packed struct (it may be unaligned): copy fields out with "
             "`{ s.field }` or `addr_of!`, and never pass `&s.field` on."),
    RuleInfo("over-aligned-type", "note", "audit",
             "type aligned above its members' alignment",
             "`__attribute__((aligned(N)))` makes bindgen emit `#[repr(C, align(N))]`; "
             "Rust code that allocates it must honour that alignment, and bindgen 0.60 "
             "cannot express a packed type that contains it (it becomes a blob)."),
    RuleInfo("undefined-pointee", "note", "review",
             "pointer to a type never defined",
             "The pointee is only forward-declared in what bindgen sees: Rust gets an "
             "empty `_unused: [u8; 0]` (or `_address: u8`) struct. It can pass the "
             "pointer around but not allocate, size or read the object."),
    RuleInfo("bitfield", "note", "review",
             "bitfields: no direct field access",
             "bindgen packs bitfields into `__BindgenBitfieldUnit` storage with "
             "generated `name()` / `set_name()` accessors; Rust cannot take a "
             "reference to a bitfield, and the unit names (`_bitfield_1`) shift when "
             "bitfields are added."),
    RuleInfo("union-type", "note", "review",
             "union: reads are unsafe",
             "A C union becomes a Rust `union` (reading a field is `unsafe`), or, "
             "when a member is not Copy, a struct of `__BindgenUnionField<T>` markers "
             "read through `.as_ref()`."),
    RuleInfo("flexible-array", "note", "review",
             "flexible array member: zero-sized in Rust",
             "`T x[]` / `T x[0]` becomes `__IncompleteArrayField<T>`: it takes no room "
             "in `size_of`, and Rust reaches the elements only with `unsafe` "
             "`as_slice(len)` / `as_ptr()` on a correctly allocated object."),
    RuleInfo("anonymous-member", "note", "review",
             "anonymous member named __bindgen_anon_N",
             "Unnamed struct/union members become `__bindgen_anon_N` fields; N counts "
             "anonymous members in order, so adding one earlier in the C struct renames "
             "the Rust field and breaks callers."),
    RuleInfo("generated-name", "note", "review",
             "type named _bindgen_ty_N",
             "An anonymous struct, union or enum gets a generated name `_bindgen_ty_N` "
             "(or `outer__bindgen_ty_N`); N counts anonymous types in order and shifts "
             "when the header changes. Name the type in C if Rust uses it."),
    RuleInfo("keyword-escaped", "note", "review",
             "identifier renamed because it is a Rust keyword",
             "bindgen appends `_` to names that are Rust keywords or primitive type "
             "names (`type` -> `type_`, `u8` -> `u8_`); Rust code must use the escaped "
             "name."),
    RuleInfo("target-dependent-type", "note", "review",
             "`long`/`char` whose Rust type differs by profile or target",
             "C `long`, `unsigned long` and plain `char` map to different Rust types "
             "under the kernel `ffi` crate (isize, usize, u8 everywhere) and stock "
             "`core::ffi` (i64 or i32 by target; i8 on x86, u8 on arm). Code written "
             "against one mapping may not compile against the other."),
    RuleInfo("padding-hole", "note", "review",
             "struct layout has padding holes",
             "Reported for the structs asked for with `--layout TYPE`: the bytes "
             "between members (and at the end) that Rust must not read as data, and "
             "that a struct literal must still initialise."),
)

# Change classes of `kbind diff` and `kbind portability`, as SARIF rules.
DIFF_RULES: tuple[RuleInfo, ...] = (
    RuleInfo("item-added", "note", "diff", "item added",
             "A new Rust item appeared. Compatible: existing callers do not change."),
    RuleInfo("item-removed", "error", "diff", "item removed",
             "A Rust item disappeared (deleted, made inline, or no longer emitted). "
             "Breaking: callers stop compiling."),
    RuleInfo("item-changed-compatible", "note", "diff", "item changed compatibly",
             "A change existing Rust callers do not notice: a renamed parameter, an "
             "alias spelled differently but resolving to the same type, a new enum "
             "constant, a field appended to a struct Rust only reaches by pointer."),
    RuleInfo("item-changed-breaking", "error", "diff", "item changed incompatibly",
             "A Rust-visible type, layout or value changed: parameter or return types, "
             "field types or offsets, size or alignment of a type used by value, a "
             "constant's value, a removed enum constant."),
    RuleInfo("target-dependent-layout", "warning", "portability",
             "item differs across targets",
             "The item's Rust type, layout or value is not the same on every target "
             "checked, or it exists only on some targets."),
)

BY_ID: dict[str, RuleInfo] = {r.id: r for r in CATALOG + DIFF_RULES}
AUDIT_HAZARDS = tuple(r.id for r in CATALOG if r.scope == "audit")
REVIEW_HAZARDS = tuple(r.id for r in CATALOG if r.scope == "review")


def rule_info(rule_id: str) -> RuleInfo:
    """The catalog entry; rules added elsewhere get a generic entry, never a crash."""
    return BY_ID.get(rule_id) or RuleInfo(rule_id, "note", "audit", rule_id,
                                          f"kbind rule `{rule_id}`.")
