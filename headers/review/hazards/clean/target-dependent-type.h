/* SPDX-License-Identifier: GPL-2.0 */
/* target-dependent-type near miss: fixed-width types only */
#include <linux/types.h>

s64 counter_add(s64 delta);
const u8 *counter_name(void);
