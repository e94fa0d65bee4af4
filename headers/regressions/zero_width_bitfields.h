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

/* A zero-width bitfield ending a run rounds the unit up to its type only when
 * bindgen does not take the record for packed while it builds the units: it
 * asks before the units exist, so every field counts with its type's
 * alignment, unnamed bitfields too. On x86_64 `_Bool a:1; int:0` has
 * alignment 1 with an `int` field inside: "packed", a 1-byte unit and 3 bytes
 * of padding. On arm64 the zero-width bitfield aligns the record to 4: a
 * 4-byte unit (hypothesis found that on the union below). */
struct trailing_same_type { int a : 1; int : 0; };
struct trailing_wider_type { _Bool a : 1; int : 0; };
struct trailing_long { char a : 1; long : 0; };
struct trailing_narrower { int a : 9; char : 0; };
struct trailing_two_types { int a : 1; char b : 1; long : 0; };
struct trailing_then_flex { _Bool a : 1; int : 0; char flex[]; };

/* A union of one bit and a zero-width int: 1 byte on x86_64, 4 on arm64. */
union trailing_in_union { _Bool m : 1; int : 0; };

