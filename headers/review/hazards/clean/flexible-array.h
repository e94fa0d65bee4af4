/* SPDX-License-Identifier: GPL-2.0 */
/* flexible-array near miss: a fixed-size trailing array */
#include <linux/types.h>

struct msg_buf {
	u32 len;
	u8 data[16];
};
