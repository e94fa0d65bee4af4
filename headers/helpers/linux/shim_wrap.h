/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inline functions whose bodies compile only for constant arguments, and
 * look-alikes that compile for any argument.
 */
#ifndef _KBIND_SHIM_WRAP_H
#define _KBIND_SHIM_WRAP_H

extern void __attribute__((__error__("bad bitfield mask"))) __shim_bad_mask(void);
extern void __attribute__((__warning__("avoid flushing"))) __shim_avoid_flush(void);
void shim_do_flush(void);

/* Not wrappable: the error call survives unless `field` is a constant. */
static inline unsigned long shim_field_mul(unsigned long field)
{
	if ((field | (field - 1)) & ((field | (field - 1)) + 1))
		__shim_bad_mask();
	return field & -field;
}

/* Not wrappable, through shim_field_mul. */
static inline unsigned long shim_get_field(unsigned long v, unsigned long field)
{
	return (v & field) / shim_field_mul(field);
}

/* Wrappable: the mask is a constant that passes the check. */
static inline unsigned long shim_get_low(unsigned long v)
{
	return shim_get_field(v, 0xff);
}

/* Wrappable: the switch value is a constant, the error is in a dead case. */
static inline int shim_size_class(unsigned long size)
{
	switch (sizeof(long)) {
	case 4:
		__shim_bad_mask();
		break;
	case 8:
		return size > 8;
	}
	return 0;
}

/* Wrappable: the error hides behind __builtin_constant_p. */
static inline int shim_checked(int x)
{
	if (__builtin_constant_p(x) && x > 3)
		__shim_bad_mask();
	return x;
}

/* Not wrappable: an "i" asm operand needs an immediate. */
static inline void shim_imm(int x)
{
	__asm__ __volatile__("" : : "i"(x));
}

/* Wrappable: the immediate is a constant. */
static inline void shim_imm_const(void)
{
	__asm__ __volatile__("" : : "i"(4));
}

/* Wrappable through a constant argument; not wrappable through a warning. */
#define shim_get_byte(v) shim_get_field(v, 0xff)
#define shim_flush() ({ __shim_avoid_flush(); shim_do_flush(); })

#endif
