/* hypothesis (merge of issues 8 and 9): an array of function pointers returning
 * a pointer: the `->` in the element's Rust spelling broke kbind's Rust layout
 * model (ValueError), so the audit crashed. */
#ifndef REGRESSION_FN_POINTER_ARRAY_IN_PACKED_H
#define REGRESSION_FN_POINTER_ARRAY_IN_PACKED_H

struct __attribute__((packed)) fn_table {
	struct fn_table *(*ops[2])(void);
};

#endif
