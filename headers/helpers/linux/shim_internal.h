/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBIND_SHIM_H
#error "please don't include this file directly, include <linux/shim.h>"
#endif
#ifndef _KBIND_SHIM_INTERNAL_H
#define _KBIND_SHIM_INTERNAL_H

static inline int shim_internal_get(const struct shim_dev *dev)
{
	return dev->id;
}

#endif
