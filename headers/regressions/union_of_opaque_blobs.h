/* A union holding a type bindgen makes opaque is a Rust union only if the
 * blob can derive Copy: an array of a known integer (alignment 1 to 16) with at
 * most 32 elements. Otherwise bindgen writes a struct of __BindgenUnionField.
 * linux-6.12 x86_64: fpregs_state, with xregs_state (opaque, aligned 64). */
#ifndef REGRESSION_UNION_OF_OPAQUE_BLOBS_H
#define REGRESSION_UNION_OF_OPAQUE_BLOBS_H

struct blob_wide { unsigned char bytes[64]; } __attribute__((aligned(64)));
struct blob_long { unsigned long words[40]; };
struct blob_short { unsigned long words[4]; };

union holds_wide { struct blob_wide w; unsigned int tag; };
union holds_long { struct blob_long l; unsigned int tag; };
union holds_short { struct blob_short s; unsigned int tag; };

#endif
