/* SPDX-License-Identifier: GPL-2.0 */
/* Records bindgen 0.60 turns into blobs or degrades (run with --opaque-type 'op_.*'). */
struct op_listed { int x; };
struct al16 { int a; } __attribute__((aligned(16)));
struct packed_outer { char c; struct al16 inner; } __attribute__((packed));
struct middle { struct al16 m; };
struct packed_deep { char c; struct middle deep; } __attribute__((packed));
struct holds_listed { int y; struct op_listed z; };
struct arr_listed { struct op_listed a[2]; };
struct atomic_member { _Atomic int a; int b; };
struct fp16_member { __fp16 h; };
union u_flex { int a; struct { int n; int d[]; } f; };
/* An opaque record aligned to 64 is a `[u8; 128]` blob: too long to derive Copy. */
struct op_big { char b[100]; } __attribute__((aligned(64)));
union u_holds_big { int a; struct op_big big; };
union u_holds_small { int a; struct op_listed small; };
