/* SPDX-License-Identifier: GPL-2.0 */
/* keyword-escaped: fields and parameters named after Rust keywords */
#include <linux/types.h>

struct token {
	int type;
	int ref;
};

int token_match(struct token *self, int fn);
