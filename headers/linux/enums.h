/* SPDX-License-Identifier: GPL-2.0 */
/* Enums: named, negative, anonymous, typedef'd, large. */
#ifndef _KBIND_FIXTURE_ENUMS_H
#define _KBIND_FIXTURE_ENUMS_H

enum state {
	STATE_IDLE,
	STATE_RUNNING = 4,
	STATE_DONE,
};

enum error_code {
	ERR_NONE = 0,
	ERR_FAULT = -14,
	ERR_INVAL = -22,
};

enum {
	ANON_FIRST = 1,
	ANON_SECOND = 1 << 4,
};

enum {
	ANON_OTHER = 7,
};

typedef enum {
	MODE_READ = 1,
	MODE_WRITE = 2,
} mode_t;

typedef enum color {
	COLOR_RED,
	COLOR_GREEN,
} color_t;

enum big_values {
	BIG_HIGH = 0x100000000ULL,
};

enum never_defined;
typedef enum never_defined never_defined_t;
typedef color_t color_alias_t;
static const enum state initial_state = STATE_IDLE;

enum state current_state(void);
void set_mode(mode_t m, enum error_code e, color_t c);

struct with_enum {
	enum state st;
	enum {
		INNER_A,
		INNER_B,
	} inner;
};

#endif
