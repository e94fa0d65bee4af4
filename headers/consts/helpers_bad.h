/* SPDX-License-Identifier: GPL-2.0 */
/* Const helpers with every mistake the const-helper rules catch. */
#include <consts/flags.h>

/* const-helper-mismatch (error): the right-hand macro is another flag. */
const vmf_t RUST_CONST_HELPER_FX_SHARE = FX_EXEC;
/* const-helper-mismatch (warning): another macro with the same value today. */
const vmf_t RUST_CONST_HELPER_FX_READ = FX_ALIAS_OF_READ;
/* const-helper-type (error): a 40-bit flag in a 32-bit type. */
const feat_t RUST_CONST_HELPER_FX_HUGE = FX_HUGE;
/* const-helper-type (warning): an unsigned flag made signed; the value fits today. */
const int RUST_CONST_HELPER_FX_FEAT = FX_FEAT;
/* const-helper-value (error): not the macro's value. */
const gfp_t RUST_CONST_HELPER_FX_GFP = FX_GFP | 1;
/* stale-const-helper (error): bindgen evaluates FX_PLAIN itself. */
const int RUST_CONST_HELPER_FX_PLAIN = FX_PLAIN;
/* stale-const-helper (error): the right-hand side is an enumerator now. */
const int RUST_CONST_HELPER_FX_ENUMERATOR = FX_ENUMERATOR;
/* const-helper-type (error): above i64::MAX, bindgen emits an extern static. */
const vmf_t RUST_CONST_HELPER_FX_TOP_BIT = FX_TOP_BIT;
