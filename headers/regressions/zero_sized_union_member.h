/* A zero-sized union (a union of `int : 0` alone) is a struct to bindgen,
 * `{ bindgen_union_field: [u8; 0] }`, yet it still derives Copy, so a union
 * holding one stays a Rust union. kbind took "zero-sized" for "cannot be
 * copied" and predicted a struct of __BindgenUnionField markers for the
 * holder. Found by the long hypothesis profile. */
#ifndef REGRESSION_ZERO_SIZED_UNION_MEMBER_H
#define REGRESSION_ZERO_SIZED_UNION_MEMBER_H

union holder_of_empty {
	char c;
	union {
		int : 0;
	};
};

typedef union __attribute__((packed)) {
	char m0;
	union {
		int : 0;
	};
} packed_holder_of_empty;

#endif
