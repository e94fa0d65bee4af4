/* A struct with no Rust field (no members, or only zero-width bitfields,
 * which make no bitfield unit) is zero-sized to bindgen: it writes `{}` and
 * no #[repr(align)], whatever C's alignment, so there is no packed/align
 * clash either. kbind reported C's alignment without saying Rust differs,
 * and a repr-conflict rustc does not raise. Found by the long hypothesis
 * profile; linux-6.12 has such structs (x86_64 slabobj_ext). */
#ifndef REGRESSION_EMPTY_ALIGNED_STRUCT_H
#define REGRESSION_EMPTY_ALIGNED_STRUCT_H

typedef struct __attribute__((aligned(2))) {
	int : 0;
} zero_width_only_aligned;

typedef struct __attribute__((packed, aligned(2))) {
	int : 0;
} zero_width_only_packed_aligned;

struct __attribute__((aligned(8))) no_members_aligned {
};

#endif
