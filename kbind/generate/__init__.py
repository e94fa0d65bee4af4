"""C generation: rust/helpers shims built from kbind's IR through pycparser's AST."""
