/* SPDX-License-Identifier: GPL-2.0 */
/* undefined-pointee near miss: declared first, defined later */
#include <linux/types.h>

struct visible_state;

struct handle {
	struct visible_state *state;
	int id;
};

struct visible_state {
	int refs;
};
