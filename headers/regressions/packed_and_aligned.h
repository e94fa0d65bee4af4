/* A packed record that is also aligned beyond what its fields need: bindgen
 * 0.60 writes #[repr(C, packed(2))] and #[repr(align(2))], which rustc
 * rejects (E0587). kbind reports it as a repr-conflict error. */
struct __attribute__((packed, aligned(2))) packed_aligned {
	char c;
};
