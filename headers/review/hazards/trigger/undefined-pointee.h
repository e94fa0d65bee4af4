/* SPDX-License-Identifier: GPL-2.0 */
/* undefined-pointee: a pointer to a struct only declared */
#include <linux/types.h>

struct hidden_state;

struct handle {
	struct hidden_state *state;
	int id;
};
