/* In a packed record bindgen still rounds its running offset up to the
 * record's own alignment before each field (known_type_layout), though it
 * writes no padding there; the tail padding it writes at the end depends on
 * that count. For the struct below bindgen counts m1 at byte 2, so it sees
 * no room left and writes no `__bindgen_padding_0`; kbind wrote one. (rustc
 * rejects the pair `packed` + `align(2)` anyway: repr-conflict.) Found by the
 * long hypothesis profile. */
#ifndef REGRESSION_PACKED_ALIGNED_TAIL_H
#define REGRESSION_PACKED_ALIGNED_TAIL_H

typedef struct __attribute__((packed, aligned(2))) {
	char m0;
	char m1;
	_Bool m2 : 1;
} packed_aligned_tail;

/* bindgen's count is not where the Rust fields are: in `#[repr(C,
 * packed(2))]` rustc puts this unit at byte 3, where m2 ends, while bindgen
 * counts byte 5 (kbind reported 5 for a moment). */
typedef struct __attribute__((packed, aligned(2))) {
	char m0;
	char m1;
	char m2;
	_Bool m3 : 1;
	short m4;
} packed_unit_offset;

/* A packed union bindgen writes as a struct (it is zero-sized) keeps both
 * `packed` and `align(1)`: rustc rejects it, so kbind says repr-conflict. */
typedef union __attribute__((packed)) {
	int : 0;
} packed_empty_union;

#endif
