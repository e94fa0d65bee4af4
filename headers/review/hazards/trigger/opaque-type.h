/* SPDX-License-Identifier: GPL-2.0 */
/* opaque-type: listed with --opaque-type secret (as the test passes) */
#include <linux/types.h>

struct secret {
	u32 key;
	u32 salt;
};
