/* SPDX-License-Identifier: GPL-2.0 */
/* static inline functions: no symbol, Rust needs a rust/helpers shim. */
#ifndef _KBIND_FIXTURE_INLINE_H
#define _KBIND_FIXTURE_INLINE_H
#include <linux/types.h>

struct list_head;

static inline int atomic_read(const atomic_t *v)
{
	return v->counter;
}

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	(void)list;
}

static inline __attribute__((always_inline)) bool is_err(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-4095;
}

int atomic_fetch_add(int i, atomic_t *v);
static int static_not_inline(int x);

#endif
