/* SPDX-License-Identifier: GPL-2.0 */
/* Inline functions of every shape a shim has to copy. */
#ifndef _KBIND_SHIM_H
#define _KBIND_SHIM_H
#include <linux/shim_types.h>
#include <asm/shim_arch.h>
#include <linux/shim_internal.h>
#include <linux/shim_needy.h>
#include <linux/shim_frag.h>

static inline int shim_atomic_read(const atomic_t *v)
{
	return v->counter;
}

static inline void shim_atomic_set(atomic_t *v, int i)
{
	v->counter = i;
}

/*
 * Unnamed parameter (in the first declaration, which bindgen follows), Rust
 * keyword as a name, enum and struct by value.
 */
static inline int shim_state_of(enum shim_state state, int type, struct shim_dev);

static inline int shim_state_of(enum shim_state state, int type, struct shim_dev dev)
{
	return (int)state + type + dev.id;
}

/* Function pointers: as a typedef, spelled out, and returned. */
static inline void shim_call(shim_cb_t cb, void (*fallback)(int), void *data)
{
	if (cb)
		cb(data, 0);
	else
		fallback(1);
}

static inline int (*shim_pick(int which))(const char *name, unsigned long len)
{
	(void)which;
	return 0;
}

/* Arrays decay to pointers; const and volatile are kept. */
static inline u8 shim_first(const u8 bytes[16], volatile int *counter)
{
	++*counter;
	return bytes[0];
}

static inline const char *shim_name(const struct shim_dev *const dev)
{
	return dev->id ? "busy" : "idle";
}

static inline bool shim_flag_test(unsigned long long mask, long long flags,
				  signed char sc, unsigned short us, char c)
{
	return (mask & (unsigned long long)flags) != 0 && sc != c && us != 0;
}

/* A long signature the writer wraps at 80 columns. */
static inline struct shim_dev *shim_lookup_by_name_and_flags(const char *name,
							     unsigned long flags,
							     gfp_t gfp, size_t *count)
{
	(void)name; (void)flags; (void)gfp; (void)count;
	return NULL;
}

/* Variadic: no shim can forward `...`. */
static inline int shim_printf(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

void *__shim_alloc(size_t size, gfp_t gfp);
int shim_register(struct shim_dev *dev, const char *name, unsigned int flags);

#endif
