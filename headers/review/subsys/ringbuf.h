/* SPDX-License-Identifier: GPL-2.0 */
/* A made-up subsystem header for `kbind review` tests: new items on top of
 * the fixture bindings_helper.h, plus one it already brings. */
#ifndef _KBIND_REVIEW_RINGBUF_H
#define _KBIND_REVIEW_RINGBUF_H
#include <linux/types.h>
#include <linux/records.h>	/* already in the base: nothing new from it */

#define RINGBUF_MAX_ORDER 10
#define RINGBUF_DEFAULT_FLAGS ((gfp_t)0x10)
#define ringbuf_is_empty(rb) ((rb)->head == (rb)->tail)

struct ringbuf_ops;

struct ringbuf {
	u32 head;
	u32 tail;
	unsigned int wrapped:1;
	unsigned int frozen:1;
	const struct ringbuf_ops *ops;
	union {
		void *priv;
		unsigned long cookie;
	};
	u8 data[];
};

int ringbuf_init(struct ringbuf *rb, size_t order, gfp_t flags);
long ringbuf_push(struct ringbuf *rb, const char *buf, size_t len);

static inline u32 ringbuf_used(const struct ringbuf *rb)
{
	return rb->head - rb->tail;
}

/* The base only declares struct device: its fields are news to Rust. */
struct device {
	const char *init_name;
	struct ringbuf *rb;
};

#endif
