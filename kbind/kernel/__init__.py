"""Reading a kernel tree: its flags, Kbuild files, rust/bindgen_parameters and
Rust sources' cfg. No libclang here: these are files and words.

- `shell`: POSIX shell word splitting and make's filter-out;
- `bindgen_parameters`: the tree's rust/bindgen_parameters (and any bindgen argv);
- `flags`: the clang arguments rust/Makefile gives bindgen, from a prepared tree;
- `rust_cfg`: the `--cfg` values the tree's Rust code is built with.
"""
