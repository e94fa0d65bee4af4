/* SPDX-License-Identifier: GPL-2.0 */
/* Records whose Rust layout (as bindgen 0.60 emits them) matches C's. */
typedef unsigned long long lk_u64;
struct lk_plain { char c; int i; long l; short s; };
struct lk_bits { unsigned a: 3, b: 5; unsigned c: 24; int after; };
struct lk_wide_bits { unsigned long long a: 40; unsigned b: 24; char tail; };
struct lk_aligned { char c; int x __attribute__((aligned(16))); };
struct lk_packed { char c; int i; lk_u64 u; } __attribute__((packed));
union lk_union { int a; char b[7]; lk_u64 c; };
struct lk_nested {
	int head;
	union { int ia; struct { short s1, s2; }; };
	struct { char n1; long n2; } named;
	struct lk_bits bits[2];
	int flex[];
};
typedef struct { int t1; char t2; } lk_typedefd;
struct lk_uses_typedef { lk_typedefd t; lk_u64 tail; };
struct lk_ptrs { void *p; void (*fn)(int); const char *s; };
