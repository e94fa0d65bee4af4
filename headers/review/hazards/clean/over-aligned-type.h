/* SPDX-License-Identifier: GPL-2.0 */
/* over-aligned-type near miss: aligned(4) adds nothing over u32 */
#include <linux/types.h>

struct cache_slot {
	u32 seq;
	u32 val;
} __attribute__((aligned(4)));
