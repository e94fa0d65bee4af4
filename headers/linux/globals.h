/* SPDX-License-Identifier: GPL-2.0 */
/* Global variables and const variables. */
#ifndef _KBIND_FIXTURE_GLOBALS_H
#define _KBIND_FIXTURE_GLOBALS_H
#include <linux/types.h>

struct list_head;

extern int jiffies_like;
extern unsigned long volatile ticks;
extern const char linux_banner[];
extern const int table_size;
extern struct list_head *global_list;
extern u8 shared_buf[64];
extern const char *const names[4];

static const int const_int = 42;
static const unsigned long const_ulong = 1UL << 40;
static const size_t const_size = 4096;
static const bool const_bool = 1;
static const char const_char = 'k';
static const s64 const_negative = -7;
static const gfp_t RUST_CONST_HELPER_GFP_FIXTURE = 0x400u;
static int mutable_with_init = 3;
static const char *const version_string = "6.12";
static const float const_float = 1.1f;
static const u64 const_u64_max = 0xffffffffffffffffULL;
static const int const_array[3] = { 1, 2, 3 };
extern int shared_name;
extern int declared_twice;
extern int declared_twice;

#endif
