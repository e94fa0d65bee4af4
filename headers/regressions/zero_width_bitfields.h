/* Zero-width bitfields. Alone they make no bitfield unit (kbind predicted an
 * empty `__BindgenBitfieldUnit<[u8; 0usize]>`); leading a run they are a
 * no-op for bindgen, so the unit starts where the previous field ends, not at
 * the C offset of its first bitfield (kbind reported 32 bits for 8 below). */
struct only_zero_width {
	int : 0;
};

struct zero_width_between {
	char c;
	int : 0;
	char d;
};

struct zero_width_leads_run {
	char c;
	int : 0;
	int : 0;
	int y : 4;
};

struct zero_width_inside_run {
	int x : 3;
	int : 0;
	int y : 2;
};
