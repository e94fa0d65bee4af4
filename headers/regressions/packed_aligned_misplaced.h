/* A packed record with aligned(2): bindgen writes #[repr(C, packed(2))], and
 * Rust aligns `p` to 2 where C packs it at byte 1. bindgen's layout tests are
 * off in the kernel, so nothing notices; kbind reports layout-mismatch. */
struct __attribute__((packed, aligned(2))) packed_aligned_misplaced {
	char c;
	void *p;
};

/* Fields that land where C puts them anyway: no finding. */
struct __attribute__((packed, aligned(4))) packed_aligned_fine {
	short a;
	short b;
	int c;
};
