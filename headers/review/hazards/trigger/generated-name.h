/* SPDX-License-Identifier: GPL-2.0 */
/* generated-name: an anonymous enum gets _bindgen_ty_N */
#include <linux/types.h>

enum {
	MODE_OFF,
	MODE_ON,
};

int set_mode(int mode);
