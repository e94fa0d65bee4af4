/* SPDX-License-Identifier: GPL-2.0 */
/* A fragment without an include guard, pasted into <linux/shim.h>. */
static inline int shim_frag_id(const struct shim_dev *dev)
{
	return dev->id + 1;
}
