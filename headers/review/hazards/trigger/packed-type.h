/* SPDX-License-Identifier: GPL-2.0 */
/* packed-type: a packed struct */
#include <linux/types.h>

struct wire_hdr {
	u8 kind;
	u32 length;
} __attribute__((packed));

void wire_send(struct wire_hdr *hdr);
