/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixture for rust/helpers support (tests/test_helpers.py): inline
 * functions and function-like macros a shim must wrap, in kernel shapes.
 */
#include <linux/shim.h>
#include <linux/shim_macros.h>
#include <linux/shim_wrap.h>
