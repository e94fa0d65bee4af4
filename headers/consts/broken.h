/* SPDX-License-Identifier: GPL-2.0 */
/* Macro bodies that are not expressions and would break a naive probe of the next macros. */
#include <linux/types.h>

#define BR_OPEN (
#define BR_CLOSE_BRACE }
#define BR_SEMI ;
#define BR_GOOD_AFTER ((gfp_t)0x20u)
#define BR_UNCLOSED_CALL "x" (
#define BR_GOOD_LAST ((gfp_t)0x40u)
