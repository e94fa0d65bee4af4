/* SPDX-License-Identifier: GPL-2.0 */
/* Not self-contained: relies on <linux/shim.h> having included the types. */
#ifndef _KBIND_SHIM_NEEDY_H
#define _KBIND_SHIM_NEEDY_H

static inline unsigned long shim_dev_flags(const struct shim_dev *dev)
{
	return dev->flags;
}

#endif
