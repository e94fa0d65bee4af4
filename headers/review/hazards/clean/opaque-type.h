/* SPDX-License-Identifier: GPL-2.0 */
/* opaque-type near miss: same struct, --opaque-type names another */
#include <linux/types.h>

struct not_secret {
	u32 key;
	u32 salt;
};
