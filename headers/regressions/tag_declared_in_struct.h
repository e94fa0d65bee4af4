/* Tags first named inside a struct body (linux-6.12 x86_64 had 12 such items).
 *
 * - A tag only ever named inside structs is an empty type with an address to
 *   bindgen (`_address: u8`); a file-scope `struct x;` anywhere, even after the
 *   first use, makes it a forward declaration (`_unused: [u8; 0]`).
 * - A field whose declaration first names a tag that is never defined loses
 *   the qualifier written on that tag (`*mut`), a defined one keeps it.
 */
#ifndef REGRESSION_TAG_DECLARED_IN_STRUCT_H
#define REGRESSION_TAG_DECLARED_IN_STRUCT_H

struct tag_holder {
	struct only_named_here *a;             /* _address */
	struct declared_later *b;              /* _unused: see below */
	const struct never_defined_ops *ops;   /* *mut never_defined_ops */
	const struct never_defined_ops *again; /* not the first mention: *const */
	const struct defined_later_ops *dops;  /* defined below: *const */
	const struct never_defined_tbl *const *tbl; /* inner const dropped only */
};

struct declared_later;

struct defined_later_ops {
	int (*open)(void);
};

#endif
