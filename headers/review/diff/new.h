/* SPDX-License-Identifier: GPL-2.0 */
/* kbind diff fixture, new side: see old.h for what each change is. */
#include <linux/types.h>

#define DEV_MAX 32
#define DEV_NAME_LEN 32
#define DEV_MIN 1		/* added: compatible */

enum dev_state {
	DEV_OFF,
	DEV_ON,
};

enum dev_prio {
	PRIO_LOW = 0,
	PRIO_HIGH = 2,
};

enum dev_mode {
	MODE_A,
	MODE_B,
};

typedef u64 dev_id_t;
typedef u32 dev_flags_t;

struct dev_stats {
	u64 rx;
	u64 tx;
	u64 dropped;
};

struct dev_cfg {
	u32 mtu;
	u32 qlen;
};

struct dev {
	int id;
	int flags;
	struct dev_cfg cfg;
	struct dev_stats *stats;
};

struct dev_hdr {
	u16 magic;
	u16 len;
	u16 kind;
};

int dev_open(struct dev *d, int mode);
void dev_reset(struct dev *d, u32 how);
int dev_ioctl(struct dev *d, int cmd);
void dev_stats_read(struct dev_stats *s);
void dev_add(struct dev *d);		/* added: compatible */

static inline int dev_poll(struct dev *d)
{
	return d->id;
}

static inline bool dev_is_on(const struct dev *d, int which)
{
	return d->id == which;
}

extern int dev_limit;
