/* SPDX-License-Identifier: GPL-2.0 */
/* Records Rust sees whole: nothing here is opaque or degraded. */
struct ok_al16 { int a; } __attribute__((aligned(16)));
struct ok_holds_aligned { char c; struct ok_al16 inner; };
struct ok_packed { char c; int i; } __attribute__((packed));
struct ok_ptr { struct ok_packed *p; struct ok_al16 *q; };
union ok_union { int a; long b; struct ok_packed c; };
struct ok_bits { unsigned a: 3, b: 5; int c; };
