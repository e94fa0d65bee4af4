/* SPDX-License-Identifier: GPL-2.0 */
/* Flag macros with casts, as kernel headers write them, for the const-helper fixtures. */
#ifndef _KBIND_FIXTURE_FLAGS_H
#define _KBIND_FIXTURE_FLAGS_H
#include <linux/types.h>

typedef unsigned long vmf_t;
typedef unsigned int feat_t;

#define FX_BIT(n) (1UL << (n))
#define FX_READ ((vmf_t)0x01)
#define FX_WRITE ((vmf_t)0x02)
#define FX_EXEC ((vmf_t)0x04)
#define FX_SHARE ((vmf_t)0x08)
#define FX_RW (FX_READ | FX_WRITE)
#define FX_ALIAS_OF_READ ((vmf_t)FX_BIT(0))
#define FX_FEAT ((feat_t)(1u << 3))
#define FX_GFP ((gfp_t)0x400u)
#define FX_HUGE (FX_BIT(40))
#define FX_NEG ((int)-7)
#define FX_BLOCK_SIZE (sizeof(long) * 8)
#define FX_PLAIN 42
#define FX_TOP_BIT ((vmf_t)1 << 63)
#define FX_NOT_EXPR unsigned long
#define FX_PTR ((void *)16)
#define FX_COUNTER fx_counter

enum { FX_ENUMERATOR = 5, FX_SELF = 6 };
/* An enumerator re-exported as a macro of the same name (macro-shadows-binding). */
#define FX_SELF FX_SELF
extern int fx_counter;

#endif
