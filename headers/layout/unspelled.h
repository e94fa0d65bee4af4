/* SPDX-License-Identifier: GPL-2.0 */
/* Members kbind has no Rust spelling for yet: reported, and left out of layout checks. */
struct vec_member { int __attribute__((vector_size(16))) v; };
struct cplx_member { _Complex double c; };
struct plain_neighbour { int x; };
