/* SPDX-License-Identifier: GPL-2.0 */
/* Function pointers, variadics, va_list, operations tables. */
#ifndef _KBIND_FIXTURE_CALLBACKS_H
#define _KBIND_FIXTURE_CALLBACKS_H
#include <linux/types.h>
#include <linux/stdarg.h>

struct file;
struct inode;

typedef int (*initcall_t)(void);
typedef void (*irq_handler_t)(int irq, void *dev_id);
typedef void notifier_fn_t(unsigned long action, void *data);

struct file_operations {
	ssize_t (*read)(struct file *, char *, size_t, loff_t *);
	ssize_t (*write)(struct file *file, const char *buf, size_t len,
			 loff_t *pos);
	int (*open)(struct inode *, struct file *);
	void (*release)(void);
	int (*printk_like)(const char *fmt, ...);
	initcall_t init;
	notifier_fn_t *notify;
};

int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list args);
void register_handler(irq_handler_t handler, void (*fallback)(int));
int (*lookup_op(const char *name))(int);
__attribute__((noreturn)) void panic(const char *fmt, ...);
void unnamed_params(int, char *, const struct file *);
int type(int fn, int ref);

#endif
