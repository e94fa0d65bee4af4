/* SPDX-License-Identifier: GPL-2.0 */
/* Object-like macros bindgen evaluates, and those it cannot. */
#ifndef _KBIND_FIXTURE_MACROS_H
#define _KBIND_FIXTURE_MACROS_H
#include <linux/types.h>

/* evaluable */
#define M_DEC 42
#define M_HEX 0x1f
#define M_OCT 0755
#define M_UNSIGNED 10u
#define M_LONG 10L
#define M_ULL 123456789012ULL
#define M_NEG -5
#define M_PAREN (7)
#define M_NOT_U ~0U
#define M_NOT_UL ~0UL
#define M_SHIFT (1 << 12)
#define M_SHIFT_UL (1UL << 40)
#define M_MASK (M_SHIFT - 1)
#define M_ARITH ((3 * 4 + 2) / 2 % 5)
#define M_BITS (0xf0 & 0x3c | 0x01 ^ 0x02)
#define M_UNARY_PLUS +3
#define M_BIG 0xffffffff
#define M_BIGGER 0x100000000
#define M_MIN_I32 (-2147483647 - 1)
#define M_BELOW_I32 (-2147483648LL - 1)
#define M_CHAR 'w'
#define M_STRING "kbind"
#define M_FLOAT 1.5
#define M_REF_REF M_MASK

#define M_CHAR_PAREN ('\n')
#define M_FLOAT_EXP 1e3
#define M_SHIFT_WRAP (1 << 64)
#define M_OCTAL_FALLBACK 09
#define M_STRING_CAT "k" "bind"
#define M_HEX_ALL_ONES 0xffffffffffffffff
#define M_DUP 1
#define M_SEES_DUP M_DUP
#undef M_DUP
#define M_DUP 2
#define M_SEES_DUP_AGAIN M_DUP
#define shared_name 9
#define M_PARAM_IS_MACRO(M_DEC) -3
#define M_WITH_COMMENT ((1 << 17) /* a comment inside */ >> 16)

/* not evaluable */
#define M_FLOAT_DOT_EXP 1.5e3
#define M_CHAR_ARITH ('a' + 1)
#define M_PASTE(a, b) a##b
#define M_CAST ((gfp_t)0x400u)
#define M_FORCE_CAST ((unsigned long)1 << 3)
#define M_SIZEOF sizeof(struct list_head *)
#define M_LOGICAL_NOT (!0)
#define M_AND (1 && 2)
#define M_CMP (1 < 2)
#define M_TERNARY (1 ? 2 : 3)
#define M_ENUM_REF ENUM_ONLY_VALUE
#define M_CALL m_helper(3)
#define M_REF_CAST (M_CAST | 1)
#define M_EMPTY
#define M_TYPE unsigned long

enum { ENUM_ONLY_VALUE = 3 };

/* function-like */
#define m_helper(x) ((x) * 2)
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))

#endif
