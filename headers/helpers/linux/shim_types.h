/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBIND_SHIM_TYPES_H
#define _KBIND_SHIM_TYPES_H

typedef _Bool bool;
typedef unsigned long size_t;
typedef unsigned int gfp_t;
typedef unsigned char u8;
typedef struct { int counter; } atomic_t;
typedef void (*shim_cb_t)(void *data, int reason);

#define NULL ((void *)0)

struct shim_dev {
	int id;
	unsigned long flags;
};

enum shim_state { SHIM_IDLE, SHIM_BUSY };

#endif
