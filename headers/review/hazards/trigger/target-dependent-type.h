/* SPDX-License-Identifier: GPL-2.0 */
/* target-dependent-type: long and plain char */
#include <linux/types.h>

long counter_add(long delta);
const char *counter_name(void);
