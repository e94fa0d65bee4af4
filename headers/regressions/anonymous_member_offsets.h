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

/* No named field inside at all: clang gives no offset. kbind reported -1;
 * a union member is at 0, a struct member's offset is unknown (null). */
union anon_unnamed_only {
	struct {
		int : 3;
	};
	int (*fn)(void);
};

struct anon_unnamed_only_in_struct {
	int a;
	struct {
		int : 3;
	};
};
