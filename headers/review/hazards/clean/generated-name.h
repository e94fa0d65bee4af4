/* SPDX-License-Identifier: GPL-2.0 */
/* generated-name near miss: the enum is named */
#include <linux/types.h>

enum power_mode {
	MODE_OFF,
	MODE_ON,
};

int set_mode(enum power_mode mode);
