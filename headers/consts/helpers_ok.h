/* SPDX-License-Identifier: GPL-2.0 */
/* Const helpers that are all right: one per macro, same name, a type that fits. */
#include <consts/flags.h>

const vmf_t RUST_CONST_HELPER_FX_READ = FX_READ;
const vmf_t RUST_CONST_HELPER_FX_RW = FX_RW;
const feat_t RUST_CONST_HELPER_FX_FEAT = FX_FEAT;
const gfp_t RUST_CONST_HELPER_FX_GFP = FX_GFP;
const size_t RUST_CONST_HELPER_FX_BLOCK_SIZE = FX_BLOCK_SIZE;
