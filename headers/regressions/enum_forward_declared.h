/* An enum declared `enum x;` at file scope before its definition keeps the
 * forward declaration's type in bindgen (`pub type x = i32`), while one first
 * named in a prototype (a different, prototype-scope type in C) takes the
 * definition's. linux-6.12 arm64: irqchip_irq_state. */
#ifndef REGRESSION_ENUM_FORWARD_DECLARED_H
#define REGRESSION_ENUM_FORWARD_DECLARED_H

enum declared_first;

struct state_chip {
	int (*get)(enum declared_first which);
	int (*put)(enum proto_first which);
};

enum declared_first { DF_IDLE, DF_BUSY = 4 };
enum proto_first { PF_ONE = 1 };

int use_declared(enum declared_first s);

#endif
