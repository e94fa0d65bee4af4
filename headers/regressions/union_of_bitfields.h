/* bindgen 0.60 lays a union's bitfields end to end in one unit (13 bytes
 * here), so the Rust union is 16 bytes where C's is 8, and so is the struct
 * holding it. kbind reports layout-mismatch on the union (found by hypothesis). */
union bitfield_union {
	int small : 26;
	unsigned long long wide : 39;
};

struct __attribute__((aligned(2))) holds_bitfield_union {
	_Bool flag : 1;
	union {
		int small : 26;
		unsigned long long wide : 39;
	};
	char flex[];
};
