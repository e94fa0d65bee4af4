/* SPDX-License-Identifier: GPL-2.0 */
/* keyword-escaped near miss: C keywords only, none of Rust */
#include <linux/types.h>

struct token {
	int kind;
	int count;
};

int token_match(struct token *tok, int flags);
