/* SPDX-License-Identifier: GPL-2.0 */
/* bitfield near miss: flags kept in a plain integer with masks */
#include <linux/types.h>

#define PORT_ENABLED 0x1
#define PORT_SPEED_MASK 0xe

struct port_flags {
	u32 bits;
	u16 id;
};
