"""The layouts rustc really gives bindgen's output, to check kbind's model.

bindgen's Rust (with the kernel's `ffi` aliases and the types rust/bindings/lib.rs
defines by hand) is compiled together with a `main` that prints, for each
record, `size_of`, `align_of` and the offset of every field
(`addr_of!` on an uninitialised value, which works on packed records too).
The program runs on the host, so it checks 64-bit targets whose Rust data
layout matches the host's (x86_64, aarch64, riscv64).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from kbind.errors import InputError
from kbind.predict.rust_layout import RecordLayout

_FFI = (("char", "u8"), ("schar", "i8"), ("uchar", "u8"), ("short", "i16"), ("ushort", "u16"),
        ("int", "i32"), ("uint", "u32"), ("long", "isize"), ("ulong", "usize"),
        ("longlong", "i64"), ("ulonglong", "u64"))
# rust/bindings/lib.rs defines these for the blocklisted kernel types.
_HAND_WRITTEN = ("type __kernel_size_t = usize; type __kernel_ssize_t = isize; "
                 "type __kernel_ptrdiff_t = isize;")


def program(bindings: str, records: Mapping[str, Sequence[str]]) -> str:
    ffi = "".join(f"pub type c_{c} = {r}; " for c, r in _FFI)
    prints = []
    for name, fields in records.items():
        offsets = "".join(
            f'print!(" {f}={{}}", core::ptr::addr_of!((*p).{f}) as usize - p as usize);'
            for f in fields)
        prints.append(
            f'{{ let u = core::mem::MaybeUninit::<{name}>::uninit(); let p = u.as_ptr(); '
            f'print!("{name} {{}} {{}}", core::mem::size_of::<{name}>(), '
            f'core::mem::align_of::<{name}>()); unsafe {{ {offsets} }} println!(); }}')
    return ("#![allow(warnings)]\nmod ffi { " + ffi + "pub type c_void = core::ffi::c_void; }\n"
            "use ffi::*;\n" + _HAND_WRITTEN + "\n" + bindings + "\nfn main() {\n" +
            "\n".join(prints) + "\n}\n")


def rustc_layouts(bindings: str, records: Mapping[str, Sequence[str]], workdir: str | Path
                  ) -> dict[str, RecordLayout]:
    """Compile and run the layout program; return what rustc decided."""
    work = Path(workdir)
    (work / "layouts.rs").write_text(program(bindings, records), encoding="utf-8")
    proc = subprocess.run(["rustc", "--edition", "2018", "-o", str(work / "layouts"),
                           str(work / "layouts.rs")], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        first = next((ln for ln in proc.stderr.splitlines() if ln.startswith("error")), "")
        raise InputError(f"rustc cannot compile bindgen's output with the layout program: "
                         f"{first}")
    out = subprocess.run([str(work / "layouts")], capture_output=True, text=True,
                         check=True).stdout
    result: dict[str, RecordLayout] = {}
    for line in out.splitlines():
        name, size, align, *offsets = line.split()
        result[name] = RecordLayout(int(size), int(align),
                                    {k: int(v) for k, v in (o.split("=") for o in offsets)})
    return result
