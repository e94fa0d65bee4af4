"""Every rule id kbind can report, with its severity, scope and help text: the
one registry of rules.

SARIF's `tool.driver.rules`, the README's rule table (held equal by a test) and
the `--hazards` choice are all read from here, so a rule id is defined once;
a test fails when kbind emits an id that is not registered here.

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

# The rules every audit runs on its own (helpers, constants, layouts, Rust uses)
# and `kbind layout --verify`'s: not hazards, so `--hazards` does not select them.
CHECKS: tuple[RuleInfo, ...] = (
    RuleInfo("inline-unshimmable", "warning", "audit",
             "inline function no shim can wrap",
             "The function is variadic, or its signature uses a type C cannot name "
             "outside its declaration (an anonymous struct, a vector type), so no "
             "`rust_helper_` shim can forward it. Write a helper with a different, "
             "nameable signature by hand, or give the type a name in C."),
    RuleInfo("inline-not-wrappable", "warning", "audit",
             "inline function whose body needs constant arguments (--check-bodies)",
             "The body uses BUILD_BUG_ON, `__bad_mask`, an `\"i\"` asm operand or "
             "similar, which compile only when the arguments are constants at the call "
             "site; a shim taking them as parameters breaks the build. Rust needs a "
             "hand-written helper per constant, or the caller's constant folded in C."),
    RuleInfo("already-wrapped", "note", "audit",
             "a rust_helper_ shim or const helper already covers this item",
             "The tree's rust/helpers (or bindings_helper.h's RUST_CONST_HELPER_ lines) "
             "already wrap the item; nothing is owed."),
    RuleInfo("stale-helper", "warning", "audit",
             "a rust/helpers shim that no longer matches what it wraps",
             "The shim's body no longer compiles, or its signature differs from the "
             "function or macro it forwards to (a changed parameter or return type). "
             "Rust calls the shim with the old types: update it."),
    RuleInfo("macro-crashes-bindgen", "error", "audit",
             "macro whose evaluation panics bindgen",
             "cexpr panics on this object-like macro (a division by zero), and bindgen "
             "0.60 aborts the whole bindings build. Fix the expression, or hide the "
             "macro from bindgen with `#ifndef __BINDGEN__`."),
    RuleInfo("macro-not-constant", "note", "audit",
             "macro that is not a constant expression",
             "clang cannot evaluate the macro as a constant (a statement, a type, a "
             "string with side effects...), so no RUST_CONST_HELPER_ line can give Rust "
             "its value; Rust needs another way to reach it."),
    RuleInfo("macro-shadows-binding", "note", "audit",
             "macro whose name bindgen already emits as another item",
             "bindgen emits an enumerator, variable or function of the same name, so a "
             "const helper for the macro would define the name twice; Rust uses the "
             "emitted item."),
    RuleInfo("stale-const-helper", "error", "audit",
             "RUST_CONST_HELPER_ line that no longer makes sense",
             "Its right-hand side is no longer a macro, or bindgen now evaluates the "
             "macro itself so that after the rename Rust sees two constants of one "
             "name (a build error). Delete the line."),
    RuleInfo("const-helper-value", "error", "audit",
             "const helper whose value differs from its macro",
             "The RUST_CONST_HELPER_ line is initialised from something other than the "
             "macro it is named after and holds another value under this config: Rust "
             "sees the wrong constant."),
    RuleInfo("const-helper-type", "error", "audit",
             "const helper whose C type cannot hold or changes the value",
             "The declared type of the RUST_CONST_HELPER_ line truncates the macro's "
             "value or changes its signedness, or the value is above i64::MAX (bindgen "
             "then emits an extern static the rename never reaches). Declare it with "
             "the macro's own C type."),
    RuleInfo("const-helper-mismatch", "warning", "audit",
             "const helper initialised from another name",
             "The RUST_CONST_HELPER_X line is initialised from something other than `X`. "
             "The values may agree under this config, but nothing keeps them equal "
             "under another; initialise it from `X`."),
    RuleInfo("repr-conflict", "error", "audit",
             "packed and aligned record: rustc rejects bindgen's output",
             "bindgen writes both `#[repr(packed(N))]` and `#[repr(align(N))]` on the "
             "record, which rustc rejects (E0587). Drop the packed or aligned "
             "attribute, or blocklist the type and write it by hand."),
    RuleInfo("packed-contains-aligned", "error", "audit",
             "packed record holding an over-aligned type",
             "bindgen emits `#[repr(C, packed)]` around a field whose type is "
             "`#[repr(align)]`, which rustc rejects (E0588). Make the member opaque, or "
             "change the C layout."),
    RuleInfo("rust-layout-mismatch", "error", "audit",
             "bindgen's struct, laid out by rustc, differs from C's layout",
             "With `repr(C, packed(N))` rustc can move a field C packs tighter, and "
             "bindgen's tail padding can make the Rust type larger than C's: Rust then "
             "reads the wrong bytes. Block the type and write it by hand, or make it "
             "opaque."),
    RuleInfo("degraded-union", "note", "audit",
             "union emitted as a struct of __BindgenUnionField markers",
             "A member cannot derive Copy (a flexible array, a blocklisted type), so "
             "bindgen writes a struct whose fields are read through `.as_ref()` "
             "instead of a Rust union."),
    RuleInfo("opaque-member", "note", "audit",
             "member whose type Rust sees only as bytes",
             "The member's type is opaque (listed with --opaque-type, or degraded by "
             "bindgen): Rust keeps its size but cannot reach inside it."),
    RuleInfo("rust-uses-missing-binding", "warning", "audit",
             "Rust code uses a bindings:: name bindgen does not emit",
             "The tree's Rust code names `bindings::X`, but bindgen emits no `X` under "
             "this config (inline, a macro, configured out): the kernel will not build. "
             "Add a helper, or the header that declares it."),
    RuleInfo("layout-mismatch", "error", "audit",
             "kbind's layout differs from the compiler's DWARF (layout --verify)",
             "`kbind layout --verify` compiled the header with -g and found a size, "
             "alignment or field offset that differs from kbind's prediction: a kbind "
             "bug or an unsupported construct; please report it."),
)

BY_ID: dict[str, RuleInfo] = {r.id: r for r in CATALOG + CHECKS + DIFF_RULES}
AUDIT_HAZARDS = tuple(r.id for r in CATALOG if r.scope == "audit")
REVIEW_HAZARDS = tuple(r.id for r in CATALOG if r.scope == "review")


def rule_info(rule_id: str) -> RuleInfo:
    """The registry entry. An id that is not registered is a kbind bug (tests hold
    every emitted id registered), so it raises rather than inventing metadata."""
    return BY_ID[rule_id]


README_START = "<!-- rules: generated from kbind/checks/catalog.py by scripts/rules-table -->"
README_END = "<!-- rules: end -->"


def markdown_table() -> str:
    """The README's rule table, one row per registered rule."""
    rows = ["| rule | severity | scope | meaning |", "|---|---|---|---|"]
    for rule in CATALOG + CHECKS + DIFF_RULES:
        rows.append(f"| `{rule.id}` | {rule.severity} | {rule.scope} | "
                    f"{rule.short.replace('|', '/')} |")
    return "\n".join(rows) + "\n"


def with_readme_table(readme: str) -> str:
    """`readme` with the text between the two markers replaced by the table."""
    head, start, rest = readme.partition(README_START)
    _, end, tail = rest.partition(README_END)
    if not start or not end:
        raise ValueError("README.md lacks the rule table markers")
    return f"{head}{start}\n{markdown_table()}{end}{tail}"
