"""rust/bindgen_parameters, and bindgen option lists in general: which options
take a value, their old spellings, and what each list option collects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kbind.errors import InputError
from kbind.kernel.shell import ShellSyntaxError, shell_words


def _wordlist(text: str) -> tuple[str, ...]:
    """Whitespace-separated words of a literal table."""
    return tuple(text.split())



# bindgen options that take one value (0.60 names plus later ones the kernel
# may use). Deprecated whitelist/blacklist spellings map to their new names.
_VALUE_OPTIONS = frozenset(
    _wordlist(
        """
    --allowlist-type --allowlist-function --allowlist-var --allowlist-item
    --allowlist-file --blocklist-type --blocklist-function --blocklist-item
    --blocklist-var --blocklist-file --opaque-type --no-copy --no-debug
    --no-default --no-hash --no-partialeq --must-use-type --rustified-enum
    --rustified-non-exhaustive-enum --constified-enum --constified-enum-module
    --bitfield-enum --newtype-enum --newtype-global-enum --normal-alias
    --new-type-alias --new-type-alias-deref --type-alias --default-enum-style
    --default-macro-constant-type --default-alias-style
    --default-non-copy-union-style --ctypes-prefix --rust-target --raw-line
    --anon-fields-prefix --generate --dynamic-loading --depfile
    --rustfmt-configuration-file --wasm-import-module-name --emit-ir-graphviz
    --output --with-derive-custom --with-derive-custom-struct
    --with-derive-custom-enum --with-derive-custom-union --wrap-static-fns-path
    --wrap-static-fns-suffix --override-abi --formatter --rust-edition
    """
    )
)
_FLAG_OPTIONS = frozenset(
    _wordlist(
        """
    --no-doc-comments --use-core --with-derive-default --no-layout-tests
    --enable-function-attribute-detection --no-rustfmt-bindings
    --rustfmt-bindings --size_t-is-usize --no-size_t-is-usize --builtins
    --ignore-functions --ignore-methods --generate-inline-functions
    --no-prepend-enum-name --no-derive-copy --no-derive-debug
    --with-derive-hash --with-derive-eq --with-derive-ord
    --with-derive-partialeq --with-derive-partialord --impl-debug
    --impl-partialeq --no-convert-floats --explicit-padding
    --translate-enum-integer-types --c-naming --disable-header-comment
    --disable-name-namespacing --disable-nested-struct-naming
    --disable-untagged-union --no-recursive-allowlist --no-record-matches
    --no-include-path-detection --fit-macro-constant-types
    --use-array-pointers-in-arguments --block-extern-crate --generate-block
    --objc-extern-crate --time-phases --verbose --wrap-static-fns
    --wrap-unsafe-ops --sort-semantically --merge-extern-blocks
    --vtable-generation --enable-cxx-namespaces --emit-clang-ast --emit-ir
    --dump-preprocessed-input --distrust-clang-mangling
    --conservative-inline-namespaces --respect-cxx-access-specs
    --dynamic-link-require-all --unstable-rust --use-msvc-mangling
    --no-size_t-is-usize --clang-macro-fallback --generate-cstr
    """
    )
)
_ALIASES = {
    "--whitelist-type": "--allowlist-type",
    "--whitelist-function": "--allowlist-function",
    "--whitelist-var": "--allowlist-var",
    "--blacklist-type": "--blocklist-type",
    "--blacklist-function": "--blocklist-function",
    "--blacklist-item": "--blocklist-item",
    "-o": "--output",
}
_LIST_FIELDS = {
    "--opaque-type": "opaque_types",
    "--blocklist-type": "blocklist_types",
    "--blocklist-function": "blocklist_functions",
    "--blocklist-item": "blocklist_items",
    "--blocklist-var": "blocklist_vars",
    "--blocklist-file": "blocklist_files",
    "--allowlist-type": "allowlist_types",
    "--allowlist-function": "allowlist_functions",
    "--allowlist-var": "allowlist_vars",
    "--allowlist-item": "allowlist_items",
    "--allowlist-file": "allowlist_files",
}


@dataclass(frozen=True)
class BindgenParameters:
    """A `rust/bindgen_parameters` file as bindgen receives it.

    `argv` is the exact argument list the kernel's Makefile passes on;
    `options` is every (option, value-or-None) pair in order; the lists
    group the values of the options kbind models; `unknown` holds the
    argv words kbind does not recognise (they stay in `argv`).
    """

    path: str
    argv: list[str]
    options: list[tuple[str, str | None]] = field(default_factory=list)
    opaque_types: list[str] = field(default_factory=list)
    blocklist_types: list[str] = field(default_factory=list)
    blocklist_functions: list[str] = field(default_factory=list)
    blocklist_items: list[str] = field(default_factory=list)
    blocklist_vars: list[str] = field(default_factory=list)
    blocklist_files: list[str] = field(default_factory=list)
    allowlist_types: list[str] = field(default_factory=list)
    allowlist_functions: list[str] = field(default_factory=list)
    allowlist_vars: list[str] = field(default_factory=list)
    allowlist_items: list[str] = field(default_factory=list)
    allowlist_files: list[str] = field(default_factory=list)
    no_doc_comments: bool = False
    unknown: list[str] = field(default_factory=list)


def bindgen_parameters_argv(text: str, path: str = "bindgen_parameters") -> list[str]:
    """The argv words rust/Makefile makes of a bindgen_parameters text.

    6.12 uses `$(shell grep -Ev '^#|^$$' file)`: lines starting with `#` and
    empty lines go, make joins the rest with spaces and pastes them into the
    recipe, so sh splits words and removes quotes (it would also glob, which
    matches nothing in practice and is not done here).
    """
    kept = [line for line in text.splitlines() if line and not line.startswith("#")]
    try:
        words, stop = shell_words(" ".join(kept))
    except ShellSyntaxError as exc:
        raise InputError(f"{path}: {exc}; balance the quotes in the file") from None
    if stop == "#":
        raise InputError(
            f"{path}: a '#' after other text comments out the rest of the kernel's "
            "bindgen command; put comments on lines of their own"
        )
    if stop is not None:
        raise InputError(f"{path}: unquoted '{stop}' ends the bindgen command; quote it")
    return words


def _parse_options(
    words: Sequence[str],
) -> tuple[list[tuple[str, str | None]], list[str]]:
    """Pair options with their values; return (options, unknown words)."""
    options: list[tuple[str, str | None]] = []
    unknown: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        name, eq, inline = word.partition("=") if word.startswith("--") else (word, "", "")
        name = _ALIASES.get(name, name)
        if name in _VALUE_OPTIONS:
            if eq:
                options.append((name, inline))
            elif i + 1 < len(words):
                options.append((name, words[i + 1]))
                i += 1
            else:
                unknown.append(word)
        elif name in _FLAG_OPTIONS and not eq:
            options.append((name, None))
        else:
            unknown.append(word)
            takes_next = word.startswith("-") and not eq and i + 1 < len(words)
            if takes_next and not words[i + 1].startswith("-"):
                unknown.append(words[i + 1])
                i += 1
        i += 1
    return options, unknown


def parse_bindgen_argv(argv: Sequence[str], path: str = "<argv>") -> BindgenParameters:
    """Classify bindgen options (the part before `--`) into BindgenParameters."""
    options, unknown = _parse_options(argv)
    lists: dict[str, list[str]] = {f: [] for f in _LIST_FIELDS.values()}
    for name, value in options:
        if name in _LIST_FIELDS and value is not None:
            lists[_LIST_FIELDS[name]].append(value)
    return BindgenParameters(
        path=path,
        argv=list(argv),
        options=options,
        no_doc_comments=any(name == "--no-doc-comments" for name, _ in options),
        unknown=unknown,
        **lists,
    )


def read_bindgen_parameters(path: str | Path) -> BindgenParameters:
    """Read a file in the format of the kernel's `rust/bindgen_parameters`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            f"{p}: cannot read bindgen parameters ({reason}); check the path"
        ) from None
    return parse_bindgen_argv(bindgen_parameters_argv(text, str(p)), str(p))


