/* SPDX-License-Identifier: GPL-2.0 */
/* bitfield: named bitfields */
#include <linux/types.h>

struct port_flags {
	unsigned int enabled:1;
	unsigned int speed:3;
	u16 id;
};
