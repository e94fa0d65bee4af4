/* bindgen 0.60 computes its tail padding from an unaligned position: here
 * `[u8; 13usize]` after a 2-byte-aligned bitfield unit, so with
 * #[repr(align(16))] the Rust struct is 32 bytes where C's is 16 (and so is
 * the struct holding it). kbind reports layout-mismatch (found by hypothesis). */
struct holds_misaligned {
	struct {
		_Alignas(16) char c;
		_Bool flag : 1;
		int bits : 9;
	};
};

/* Here bindgen's padding before the 16-aligned member moves it (byte 19 in
 * Rust, 16 in C) while the sizes agree, so the holder is unaffected. */
struct holds_moved_member {
	struct {
		char c;
		int bits : 17;
		_Alignas(16) char aligned;
	};
};
