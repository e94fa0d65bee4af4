/* Function-like macros that are #undef'd, or redefined object-like, later in
 * the unit. libclang answers "function-like?" for the definition in force at
 * the end, so bindgen hands such a macro's whole token list to cexpr, which
 * fails: nothing is emitted and nothing is left to wrap. kbind said "not
 * evaluable: cast to `x`" and probed it as a constant. linux-6.12 x86_64: 54
 * macros (PVOP_CALL0, GEN, preempt_check_resched...). */
#ifndef REGRESSION_MACRO_OVERRIDDEN_H
#define REGRESSION_MACRO_OVERRIDDEN_H

#define OV_KEPT(x) ((x) + 1)

#define OV_GONE(x) ((x) + 2)
#undef OV_GONE

#define OV_TO_OBJECT(x) ((x) * 3)
#undef OV_TO_OBJECT
#define OV_TO_OBJECT 5

#define OV_REDEFINED(x) ((x) - 1)
#undef OV_REDEFINED
#define OV_REDEFINED(y) ((y) - 2)

int ov_user(int v);

#endif
