/* SPDX-License-Identifier: GPL-2.0 */
/* flexible-array: a trailing T x[] */
#include <linux/types.h>

struct msg_buf {
	u32 len;
	u8 data[];
};
