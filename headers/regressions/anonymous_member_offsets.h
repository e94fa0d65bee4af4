/* Anonymous members whose first member is unnamed: an unnamed bitfield, or
 * another anonymous record. kbind took the member's offset from its first
 * named field (64 instead of 32 below), or reported -1 when there was none. */
struct anon_after_bitfield {
	int x : 3;
	struct {
		int : 4;
		int y;
		short z;
	};
};

struct __attribute__((packed)) anon_in_anon {
	char m0;
	char m1;
	struct {
		union {
			int a;
			char b;
		};
		long c;
	};
};
