/* SPDX-License-Identifier: GPL-2.0 */
/* union-type near miss: a struct with the same members */
#include <linux/types.h>

struct reg_val {
	u32 word;
	u8 bytes[4];
};

u32 reg_read(struct reg_val *v);
