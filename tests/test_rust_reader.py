"""Tests for kbind.verify.rust_reader on real bindgen 0.60 output."""

from __future__ import annotations

import dataclasses
import subprocess
import time
from pathlib import Path

import pytest

from kbind.verify.rust_reader import RustItem, read_bindings

BINDGEN = "/usr/bin/bindgen"
FLAGS = [
    "--use-core",
    "--with-derive-default",
    "--ctypes-prefix",
    "ffi",
    "--no-layout-tests",
    "--no-debug",
    ".*",
    "--enable-function-attribute-detection",
    "--no-doc-comments",
]

HEADER = r"""
#define MY_INT 42
#define MY_NEG -7
#define MY_BIG 0x1FFFFFFFFULL
#define MY_STR "hi\n"
#define MY_CHR 'x'
#define MY_FLT 1.5

struct fwd;
typedef struct opaque_s { int secret; long more; } opaque_t;
struct bits {
    unsigned int a : 3;
    unsigned int b : 5;
    int c;
    union { int u1; float u2; };
};
struct flex { int n; int data[]; };
union un { int i; double d; char c[3]; };
enum color { RED, GREEN = 5, BLUE = -3 };
enum { ANON_A = 1, ANON_B };
typedef void (*callback_t)(int, const char *);

extern const int const_global;
extern int mut_global;

void f_void(void);
int f_named(int a, const char *b, struct bits *c);
int f_unnamed(int, char **);
int f_variadic(const char *fmt, ...);
void f_fnptr(void (*cb)(int x), callback_t cb2);
struct fwd *f_fwd(struct fwd *p);
int f_asm(int x) __asm__("real_asm_name");
"""


def bindgen(tmp_path: Path, header: str, *extra: str, flags: list[str] = FLAGS) -> str:
    """Run the real bindgen on `header` and return the generated Rust."""
    name = "a"
    h = tmp_path / f"{name}.h"
    out = tmp_path / f"{name}{len(list(tmp_path.iterdir()))}.rs"
    h.write_text(header)
    subprocess.run(
        [BINDGEN, str(h), *flags, *extra, "-o", str(out), "--", "-x", "c"],
        check=True,
        capture_output=True,
    )
    return out.read_text()


def by_name(items: list[RustItem]) -> dict[str, RustItem]:
    return {i.name: i for i in items}


@pytest.fixture(scope="module")
def formatted(tmp_path_factory: pytest.TempPathFactory) -> str:
    text = bindgen(tmp_path_factory.mktemp("fmt"), HEADER, "--opaque-type", "opaque_s")
    assert text.count("\n") > 50, "bindgen did not run rustfmt"
    return text


@pytest.fixture(scope="module")
def unformatted(tmp_path_factory: pytest.TempPathFactory) -> str:
    text = bindgen(
        tmp_path_factory.mktemp("raw"),
        HEADER,
        "--opaque-type",
        "opaque_s",
        "--no-rustfmt-bindings",
    )
    assert text.count("\n") < 5
    return text


def test_functions(formatted: str) -> None:
    items = by_name(read_bindings(formatted))
    f = items["f_named"]
    assert f.kind == "fn" and not f.variadic and f.link_name is None
    assert f.params == (
        ("a", "ffi::c_int"),
        ("b", "*const ffi::c_char"),
        ("c", "*mut bits"),
    )
    assert f.ret == "ffi::c_int"
    assert items["f_void"] == RustItem("fn", "f_void", line=items["f_void"].line)
    assert items["f_unnamed"].params == (
        ("arg1", "ffi::c_int"),
        ("arg2", "*mut*mut ffi::c_char"),
    )
    v = items["f_variadic"]
    assert v.variadic and v.params == (("fmt", "*const ffi::c_char"),)
    assert items["f_fnptr"].params == (
        ("cb", '::core::option::Option<unsafe extern "C" fn(x: ffi::c_int)>'),
        ("cb2", "callback_t"),
    )
    assert items["f_fnptr"].ret is None
    assert items["f_fwd"].ret == "*mut fwd"
    assert items["f_asm"].link_name == "\x01real_asm_name"
    line = formatted.splitlines()[items["f_named"].line - 1]
    assert line.strip().startswith("pub fn f_named(")


def test_records(formatted: str) -> None:
    items = by_name(read_bindings(formatted))
    assert items["bits"].kind == "struct"
    assert items["bits"].fields == (
        ("_bitfield_align_1", "[u8; 0]"),
        ("_bitfield_1", "__BindgenBitfieldUnit<[u8; 1usize]>"),
        ("c", "ffi::c_int"),
        ("__bindgen_anon_1", "bits__bindgen_ty_1"),
    )
    assert items["bits__bindgen_ty_1"].kind == "union"
    assert items["bits__bindgen_ty_1"].fields == (("u1", "ffi::c_int"), ("u2", "f32"))
    assert items["flex"].fields == (
        ("n", "ffi::c_int"),
        ("data", "__IncompleteArrayField<ffi::c_int>"),
    )
    assert items["un"].fields == (
        ("i", "ffi::c_int"),
        ("d", "f64"),
        ("c", "[ffi::c_char; 3usize]"),
    )
    assert items["fwd"].fields == (("_unused", "[u8; 0]"),)
    assert items["opaque_s"].fields == (("_bindgen_opaque_blob", "[u64; 2usize]"),)


def test_types_consts_statics(formatted: str) -> None:
    items = by_name(read_bindings(formatted))
    assert (items["opaque_t"].kind, items["opaque_t"].type) == ("type", "opaque_s")
    assert items["color"].type == "ffi::c_int"
    assert items["callback_t"].type == (
        '::core::option::Option<unsafe extern "C" fn(arg1: ffi::c_int, arg2: *const ffi::c_char)>'
    )
    consts = {n: (i.type, i.value) for n, i in items.items() if i.kind == "const"}
    assert consts["MY_INT"] == ("u32", "42")
    assert consts["MY_NEG"] == ("i32", "-7")
    assert consts["MY_BIG"] == ("u64", "8589934591")
    assert consts["MY_STR"] == ("&[u8; 4usize]", r'b"hi\n\0"')
    assert consts["MY_CHR"] == ("u8", "120u8")
    assert consts["MY_FLT"] == ("f64", "1.5")
    assert consts["color_BLUE"] == ("color", "-3")
    assert consts["ANON_B"] == ("_bindgen_ty_1", "2")
    s = items["const_global"]
    assert (s.kind, s.type, s.mutable) == ("static", "ffi::c_int", False)
    assert items["mut_global"].mutable


def test_helpers_skipped(formatted: str) -> None:
    items = read_bindings(formatted)
    names = {i.name for i in items}
    assert not names & {
        "__BindgenBitfieldUnit",
        "__IncompleteArrayField",
        "new",
        "set_a",
        "new_bitfield_1",
        "default",
        "fmt",
    }
    assert {i.kind for i in items} == {
        "fn",
        "struct",
        "union",
        "type",
        "const",
        "static",
    }


def test_unformatted_matches_formatted(formatted: str, unformatted: str) -> None:
    def strip(items: list[RustItem]) -> list[RustItem]:
        return [dataclasses.replace(i, line=0) for i in items]

    a, b = read_bindings(formatted), read_bindings(unformatted)
    assert len(a) == 30
    assert strip(a) == strip(b)


def test_layout_tests_union_fields_and_enums(tmp_path: Path) -> None:
    header = "union u2 { int a; char b; };\nenum rcolor { RA, RB = -1 };\n"
    text = bindgen(
        tmp_path,
        header,
        "--rust-target",
        "1.0",
        "--rustified-enum",
        "rcolor",
        flags=["--no-debug", ".*"],
    )
    assert "#[test]" in text and "pub struct __BindgenUnionField<T>" in text
    items = by_name(read_bindings(text))
    assert set(items) == {"u2", "rcolor"}
    assert items["u2"].fields[0] == ("a", "__BindgenUnionField<::std::os::raw::c_int>")
    assert items["rcolor"].kind == "enum"


@pytest.mark.parametrize(
    "text",
    [
        "pub struct a { pub x: u32, }\npub fn broken(x: u32 -> u32;\n",
        'extern "C" {\n    pub fn f(x: u32) -> u32;\n',
        "pub const X: u32 = ;\n",
        "pub type T = ;\n",
    ],
)
def test_malformed_raises(text: str) -> None:
    with pytest.raises(ValueError, match=r"line \d+"):
        read_bindings(text)


def test_truncated_output_raises(formatted: str) -> None:
    cut = formatted[: formatted.index("pub fn f_named(") + 20]
    with pytest.raises(ValueError, match="line"):
        read_bindings(cut)


def test_large_output_is_fast(tmp_path: Path) -> None:
    header = "".join(
        f"struct s{i} {{ unsigned a:3; int c; union {{ int u; float f; }}; char n[16]; }};\n"
        f"typedef struct s{i} s{i}_t;\nint fn{i}(struct s{i} *p, const char *fmt, ...);\n"
        f"#define MAC{i} {i}\nenum e{i} {{ E{i}_A, E{i}_B = -{i} }};\nextern int g{i};\n"
        for i in range(1200)
    )
    text = bindgen(tmp_path, header)
    assert text.count("\n") > 75_000
    start = time.perf_counter()
    items = read_bindings(text)
    assert time.perf_counter() - start < 2.0
    assert sum(i.kind == "fn" for i in items) == 1200
