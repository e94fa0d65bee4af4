/* SPDX-License-Identifier: GPL-2.0 */
/* Every C scalar type bindgen maps, as function parameters and returns. */
#ifndef _KBIND_FIXTURE_SCALARS_H
#define _KBIND_FIXTURE_SCALARS_H
#include <linux/types.h>

char scalar_char(char c, signed char sc, unsigned char uc);
short scalar_short(short s, unsigned short us);
int scalar_int(int i, unsigned int ui, unsigned u);
long scalar_long(long l, unsigned long ul);
long long scalar_longlong(long long ll, unsigned long long ull);
float scalar_float(float f, double d);
bool scalar_bool(bool b, _Bool raw);
u8 fixed_unsigned(u8 a, u16 b, u32 c, u64 d);
s8 fixed_signed(s8 a, s16 b, s32 c, s64 d);
size_t sizes(size_t n, ssize_t s, ptrdiff_t p, loff_t off, pgoff_t idx);
#ifdef __SIZEOF_INT128__
s128 wide(s128 a, u128 b);
#endif
void nothing(void);
int no_prototype();
const char *pointers(const char *s, char *buf, void *p, const void *cp,
		     int **pp, const int *const *cpp, char *const pc);
void arrays_decay(int a[4], const char names[][8], u8 bytes[]);
unsigned long *__must_check_like(unsigned long volatile *v);

#endif
