/* SPDX-License-Identifier: GPL-2.0 */
/* kbind diff fixture, old side: each item changes in new.h in one known way. */
#include <linux/types.h>

#define DEV_MAX 16		/* value changes: breaking */
#define DEV_NAME_LEN 32		/* unchanged */

enum dev_state {
	DEV_OFF,
	DEV_ON,
	DEV_GONE,		/* removed: breaking */
};

enum dev_prio {
	PRIO_LOW = 0,
	PRIO_HIGH = 1,		/* value changes: breaking */
};

enum dev_mode {
	MODE_A,			/* a constant is added after it: compatible */
};

typedef u32 dev_id_t;		/* becomes u64: breaking */
typedef unsigned int dev_flags_t;	/* spelled u32: compatible */

struct dev_stats {		/* a field is appended; only used by pointer: compatible */
	u64 rx;
	u64 tx;
};

struct dev_cfg {		/* a field is appended; held by value in dev: breaking */
	u32 mtu;
};

struct dev {
	int id;
	long flags;		/* type changes: breaking */
	struct dev_cfg cfg;
	struct dev_stats *stats;
	u8 gone;		/* removed: breaking */
};

struct dev_hdr {		/* a field is inserted first: the others move, breaking */
	u16 len;
	u16 kind;
};

int dev_open(struct dev *d, int flags);		/* parameter renamed: compatible */
int dev_close(struct dev *d);			/* removed: breaking */
void dev_reset(struct dev *d, unsigned int how);	/* spelled u32: compatible */
long dev_ioctl(struct dev *d, int cmd);		/* return type changes: breaking */
int dev_poll(struct dev *d);			/* becomes inline: breaking */
void dev_stats_read(struct dev_stats *s);	/* unchanged */

static inline int dev_is_on(const struct dev *d)	/* helper shim signature changes */
{
	return d->id;
}

extern const int dev_limit;	/* becomes mutable: breaking */
