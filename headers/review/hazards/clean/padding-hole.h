/* SPDX-License-Identifier: GPL-2.0 */
/* padding-hole near miss: members ordered so nothing is wasted */
#include <linux/types.h>

struct stats {
	u64 count;
	u16 flags;
	u8 kind;
	u8 spare;
	u32 more;
};
