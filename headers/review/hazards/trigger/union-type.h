/* SPDX-License-Identifier: GPL-2.0 */
/* union-type: a union Rust reads unsafely */
#include <linux/types.h>

union reg_val {
	u32 word;
	u8 bytes[4];
};

u32 reg_read(union reg_val *v);
