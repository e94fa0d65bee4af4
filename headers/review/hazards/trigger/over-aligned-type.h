/* SPDX-License-Identifier: GPL-2.0 */
/* over-aligned-type: aligned above its members */
#include <linux/types.h>

struct cache_slot {
	u32 seq;
	u32 val;
} __attribute__((aligned(64)));
