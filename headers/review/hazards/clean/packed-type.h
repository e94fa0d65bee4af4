/* SPDX-License-Identifier: GPL-2.0 */
/* packed-type near miss: the same members, naturally aligned */
#include <linux/types.h>

struct wire_hdr {
	u32 length;
	u8 kind;
};

void wire_send(struct wire_hdr *hdr);
