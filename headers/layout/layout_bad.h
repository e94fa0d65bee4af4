/* SPDX-License-Identifier: GPL-2.0 */
/* Records bindgen 0.60 lays out differently from C (run kbind layout --verify). */
/* A bitfield run after a char: bindgen aligns its unit to 4, C packs it at byte 1. */
struct lb_bits_after_char { char x; unsigned a: 3; unsigned b: 30; int y; };
/* A typedef with a smaller alignment: bindgen drops the attribute (compat_u64 style). */
typedef unsigned long long lb_u64_a4 __attribute__((aligned(4)));
struct lb_underaligned { unsigned int head; lb_u64_a4 value; unsigned int tail; };
/* Packed but aligned to 2: bindgen writes packed(2), which moves `i` to byte 2 (C: byte 1). */
struct lb_packed_aligned { char c; int i; } __attribute__((packed, aligned(2)));
/* No members (configured out) but aligned: bindgen writes `{}`, Rust aligns it to 1. */
struct lb_empty_aligned {
} __attribute__((aligned(8)));
