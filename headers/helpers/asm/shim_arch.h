/* SPDX-License-Identifier: GPL-2.0 */
/* An arch header: shims include the linux/ header that pulls it in. */
#ifndef _KBIND_ASM_SHIM_ARCH_H
#define _KBIND_ASM_SHIM_ARCH_H

static inline unsigned long arch_shim_read(const volatile unsigned long *addr)
{
	return *addr;
}

#endif
