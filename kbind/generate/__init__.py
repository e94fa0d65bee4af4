"""Generated C for the kernel tree: RUST_CONST_HELPER_ lines."""
