"""Generated C for the kernel tree, built through pycparser's AST: rust/helpers
shims from kbind's IR, and RUST_CONST_HELPER_ lines."""
