/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbind's fixture equivalent of rust/bindings/bindings_helper.h: includes
 * every fixture header and declares const helpers for macros bindgen
 * cannot evaluate.
 */
#include <linux/types.h>
#include <linux/scalars.h>
#include <linux/records.h>
#include <linux/callbacks.h>
#include <linux/enums.h>
#include <linux/globals.h>
#include <linux/macros.h>
#include <linux/inline.h>

const gfp_t RUST_CONST_HELPER_M_CAST = M_CAST;
const size_t RUST_CONST_HELPER_M_SIZEOF = M_SIZEOF;
