/* cexpr divides with Rust's `/` and `%`, so a macro whose divisor is zero
 * makes bindgen 0.60 panic and the whole build fail. kbind called it a
 * macro-needs-const-helper note; it is now a macro-crashes-bindgen error.
 * Kept apart from the other regressions, which bindgen must get through:
 * tests/test_properties.py checks bindgen panics on exactly these macros. */
#define ZERO_SHIFT ((1 >> 64) - 1)
#define CRASHES_DIV (5 / 0)
#define CRASHES_REM 0306 % ((135UL + 0xe3) >> (~779UL))
#define SAFE_COMPARE 1 == (5 / 0)
