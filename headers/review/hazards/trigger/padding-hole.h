/* SPDX-License-Identifier: GPL-2.0 */
/* padding-hole: a hole after a small member (ask with --layout stats) */
#include <linux/types.h>

struct stats {
	u8 kind;
	u64 count;
	u16 flags;
};
