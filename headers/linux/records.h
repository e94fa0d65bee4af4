/* SPDX-License-Identifier: GPL-2.0 */
/* Structs and unions: nesting, anonymous members, bitfields, layout attrs. */
#ifndef _KBIND_FIXTURE_RECORDS_H
#define _KBIND_FIXTURE_RECORDS_H
#include <linux/types.h>

struct list_head {
	struct list_head *next, *prev;
};

struct device;		/* declared, never defined */
struct page;

struct plain {
	u8 a;
	u32 b;
	u64 c;
	char name[16];
	const char *label;
	struct list_head node;
	struct device *dev;
	int matrix[2][3];
};

struct with_flex {
	size_t len;
	u8 data[];
};

struct with_zero_len {
	int count;
	long entries[0];
};

struct with_anon {
	int kind;
	union {
		u32 as_u32;
		u16 as_u16[2];
		struct {
			u8 lo;
			u8 hi;
		};
	};
	struct {
		int x, y;
	} point;
	union {
		void *ptr;
		unsigned long val;
	} u;
};

struct with_bitfields {
	unsigned int ready:1;
	unsigned int mode:3;
	unsigned int :0;
	unsigned int count:12;
	u8 tail;
	unsigned long long big:40;
	int sign:2;
};

struct __attribute__((packed)) packed_hdr {
	u8 type;
	u32 len;
	u16 csum;
};

struct aligned_buf {
	u8 bytes[3];
} __attribute__((aligned(64)));

struct holder_of_aligned {
	u8 tag;
	struct aligned_buf buf;
};

struct __attribute__((packed)) packed_with_aligned {
	u8 tag;
	struct aligned_buf buf;
};

struct outer {
	struct inner {
		int depth;
	} in;
	int after;
};

union value {
	s64 i;
	double f;
	const char *s;
	u8 raw[8];
};

struct keywords {
	int type;
	int ref;
	int match;
	int fn;
	int self;
	int loop;
};

typedef struct {
	atomic_t refs;
	gfp_t flags;
} anon_typedef_t;

typedef struct named_typedef {
	int v;
} named_typedef_t;

typedef struct same_name same_name;
struct same_name {
	int v;
};

struct empty {
};

struct opaque_me {
	int hidden;
	long more;
};

struct uses_opaque {
	struct opaque_me inner;
	int visible;
};

#endif
