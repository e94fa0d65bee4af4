/* SPDX-License-Identifier: GPL-2.0 */
/* anonymous-member: an unnamed union member */
#include <linux/types.h>

struct request {
	int op;
	union {
		u64 sector;
		void *buf;
	};
};
