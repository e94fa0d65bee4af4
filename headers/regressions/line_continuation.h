/* SPDX-License-Identifier: GPL-2.0 */
/* A token right after a line continuation, at the start of the line: libclang spells it
 * with the backslash-newline, so bindgen 0.60's cexpr cannot evaluate these macros. */
#define LC_SUM (1 + \
2)
#define LC_MASK ( \
0x10 | 0x01 \
)
int lc_uses(int x);
