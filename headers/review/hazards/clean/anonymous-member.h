/* SPDX-License-Identifier: GPL-2.0 */
/* anonymous-member near miss: the union member has a name */
#include <linux/types.h>

union request_arg {
	u64 sector;
	void *buf;
};

struct request {
	int op;
	union request_arg arg;
};
