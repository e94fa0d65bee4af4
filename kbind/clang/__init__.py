"""The only package that imports libclang: parse headers and lower to IR."""
