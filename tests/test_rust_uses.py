"""Reading `bindings::` uses from Rust code, and `#[cfg]` as the kernel's rustc
sees it (include/generated/rustc_cfg)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbind.checks.rust_uses import rust_uses
from kbind.kernel.rust_cfg import RustCfg, evaluate, read_rustc_cfg

RUSTC_CFG = """--cfg=CONFIG_NET
--cfg=CONFIG_NET="y"
--cfg=CONFIG_MODULAR="m"
--cfg=CONFIG_HZ="250"
"""


def _tree(tmp_path: Path, files: dict[str, str], rustc_cfg: str | None = RUSTC_CFG) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if rustc_cfg is not None:
        (tmp_path / "include" / "generated").mkdir(parents=True)
        (tmp_path / "include" / "generated" / "rustc_cfg").write_text(rustc_cfg)
    return tmp_path


def _names(tree: Path) -> set[str]:
    return set(rust_uses(tree, cfg=read_rustc_cfg(tree, "x86_64-linux-gnu")))


def test_uses_are_read_from_code_not_text(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {"rust/kernel/a.rs": (
        "use kernel::bindings::{self, PLAIN, SHARED as Renamed};\n"
        "use crate::bindings::single as alias;\n"
        "// bindings::IN_COMMENT\n"
        "/* bindings::IN_BLOCK */\n"
        "fn f() -> bindings::RetType<u8> {\n"
        "    let s = \"bindings::IN_STRING\";\n"
        "    pr_info!(\"{}\", bindings::IN_MACRO);\n"
        "    m!(bindings::{GROUP_A, GROUP_B as G});\n"
        "    unsafe { bindings::call(Renamed, alias) }\n"
        "}\n")})
    assert _names(tree) == {"PLAIN", "SHARED", "single", "RetType", "IN_MACRO", "GROUP_A",
                            "GROUP_B", "call"}


def test_first_place_is_kept_with_character_columns(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {"rust/kernel/a.rs": "// é\nfn f() { let _ = \"é\"; bindings::X; }\n",
                            "rust/kernel/b.rs": "fn g() { bindings::X; }\n"})
    loc = rust_uses(tree)["X"]
    # The column of X in characters (its byte column is 34).
    assert (loc.file, loc.line, loc.column) == ("rust/kernel/a.rs", 2, 33)


def test_code_the_config_leaves_out_is_skipped(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "rust/kernel/lib.rs": (
            "#[cfg(CONFIG_NET)]\npub mod net;\n"
            "#[cfg(CONFIG_KUNIT)]\npub mod kunit;\n"
            "#[cfg(not(CONFIG_NET))]\nfn off() { bindings::NOT_NET; }\n"
            "#[cfg(any(CONFIG_KUNIT, CONFIG_NET))]\nfn on() { bindings::ANY_ON; }\n"
            "#[cfg(all(CONFIG_NET, CONFIG_MODULAR = \"m\", CONFIG_HZ = \"250\"))]\n"
            "fn pairs() { bindings::PAIRS_ON; }\n"
            "#[cfg(CONFIG_NET = \"m\")]\nfn wrong_value() { bindings::WRONG_VALUE; }\n"
            "#[cfg(test)]\nmod tests { fn t() { bindings::TEST_ONLY; } }\n"
            "#[cfg(some_other_flag)]\nfn unknown() { bindings::UNKNOWN_KEPT; }\n"
            "#[cfg(target_arch = \"x86_64\")]\nfn x86() { bindings::ON_X86; }\n"
            "#[cfg(target_arch = \"aarch64\")]\nfn arm() { bindings::ON_ARM; }\n"
            "struct S { #[cfg(CONFIG_KUNIT)] a: bindings::FIELD_OFF, b: bindings::FIELD_ON }\n"
            "fn m(x: u32) -> u32 { match x { #[cfg(CONFIG_KUNIT)] 1 => bindings::ARM_OFF,\n"
            "    _ => bindings::ARM_ON } }\n"
            "fn a() { g(#[cfg(CONFIG_KUNIT)] bindings::ARG_OFF, bindings::ARG_ON); }\n"),
        "rust/kernel/net.rs": "fn n() { bindings::IN_NET; }\n",
        "rust/kernel/net/phy.rs": "fn p() { bindings::IN_NET_CHILD; }\n",
        "rust/kernel/kunit.rs": "fn k() { bindings::IN_KUNIT; }\n",
        "rust/kernel/kunit/more.rs": "fn k2() { bindings::IN_KUNIT_CHILD; }\n",
        "rust/kernel/whole.rs": "#![cfg(CONFIG_KUNIT)]\nfn w() { bindings::WHOLE_FILE_OFF; }\n",
    })
    assert _names(tree) == {"ANY_ON", "PAIRS_ON", "UNKNOWN_KEPT", "ON_X86", "FIELD_ON",
                            "ARM_ON", "ARG_ON", "IN_NET", "IN_NET_CHILD"}


def test_without_rustc_cfg_nothing_is_dropped(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {"rust/kernel/lib.rs": (
        "#[cfg(CONFIG_KUNIT)]\nfn k() { bindings::KUNIT; }\n"
        "#[cfg(test)]\nfn t() { bindings::TEST_ONLY; }\n")}, rustc_cfg=None)
    # An unknown configuration keeps every use; only test builds are known off.
    assert _names(tree) == {"KUNIT"}


@pytest.mark.parametrize(("predicate", "expected"), [
    ("CONFIG_NET", True), ("CONFIG_OFF", False), ("not ( CONFIG_OFF )", True),
    ("CONFIG_HZ = \"250\"", True), ("CONFIG_HZ = \"100\"", False),
    ("any ( CONFIG_OFF , other )", None), ("any ( CONFIG_NET , other )", True),
    ("all ( CONFIG_OFF , other )", False), ("all ( CONFIG_NET , other )", None),
    ("not ( other )", None), ("not ( )", None), ("", None),
])
def test_three_valued_cfg(predicate: str, expected: bool | None) -> None:
    cfg = RustCfg(frozenset({"CONFIG_NET"}), frozenset({("CONFIG_HZ", "250")}), True)
    assert evaluate(predicate.split(), cfg) is expected


def test_the_cache_watches_rustc_cfg(tmp_path: Path) -> None:
    from kbind.checks.rust_uses import rust_sources, scanned_paths

    tree = _tree(tmp_path, {"rust/kernel/a.rs": "fn f() { bindings::X; }\n"})
    watched = scanned_paths(tree, rust_sources(tree))
    assert str(tree / "include" / "generated" / "rustc_cfg") in watched
    assert str(tree / "rust" / "kernel" / "a.rs") in watched
