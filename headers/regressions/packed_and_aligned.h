/* A packed record that is also aligned beyond what its fields need: bindgen
 * 0.60 writes #[repr(C, packed(2))] and #[repr(align(2))], which rustc
 * rejects (E0587). kbind reports it as a repr-conflict error. */
struct __attribute__((packed, aligned(2))) packed_aligned {
	char c;
};

/* Found next: a packed union of bitfields only gets `packed` and `align(1)`. */
union __attribute__((packed)) packed_bitfield_union {
	unsigned int bits : 3;
};

/* ...but not with an ordinary member as aligned as the union. */
union __attribute__((packed)) packed_bitfield_union_ok {
	unsigned int bits : 3;
	char c;
};

struct __attribute__((packed, aligned(4))) packed_aligned_bitfields {
	unsigned int bits : 20;
	short x;
};
