/* SPDX-License-Identifier: GPL-2.0 */
/* Function-like macros: some forward to a known prototype, some do not. */
#ifndef _KBIND_SHIM_MACROS_H
#define _KBIND_SHIM_MACROS_H
#include <linux/shim.h>

/* Forwards directly: its parameters map onto __shim_alloc's. */
#define shim_alloc(size, gfp) __shim_alloc(size, gfp)
/* Forwards with a constant argument. */
#define shim_register_simple(dev, name) shim_register((dev), name, 0)
/* Through a value-preserving statement-expression wrapper, variadic. */
#define shim_hooks(_do) ({ typeof(_do) _res = _do; _res; })
#define shim_alloc_hooked(...) shim_hooks(__shim_alloc(__VA_ARGS__))
/* Through another forwarding macro, to an inline function. */
#define shim_read(v) shim_atomic_read(v)
#define shim_read_twice(v) shim_read(v)

/* Constant arguments: defined on this architecture, or not. */
#define SHIM_GFP_DEFAULT ((gfp_t)0x10u)
#define shim_alloc_default(size) __shim_alloc(size, SHIM_GFP_DEFAULT)
#define shim_alloc_nocache(size) __shim_alloc(size, SHIM_GFP_NOCACHE)

/* Not inferable: an expression, a statement, an undeclared callee. */
#define shim_add_one(x) ((x) + 1)
#define SHIM_BUG() do { __builtin_trap(); } while (0)
#define shim_trace(dev) trace_shim_event(dev)

#endif
