/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's own stdarg.h: va_list from the compiler builtin. */
#ifndef _KBIND_FIXTURE_STDARG_H
#define _KBIND_FIXTURE_STDARG_H

typedef __builtin_va_list va_list;
#define va_start(v, l) __builtin_va_start(v, l)
#define va_end(v) __builtin_va_end(v)
#define va_arg(v, T) __builtin_va_arg(v, T)

#endif
