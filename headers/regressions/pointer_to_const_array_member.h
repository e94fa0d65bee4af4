/* Pointers to arrays of const elements. bindgen writes `*const [T; N]` for
 * them in fields, parameters, returns, typedefs and behind another pointer,
 * but `*mut [T; N]` for the pointers a variable's own type reaches through
 * arrays only. kbind wrote `*mut` everywhere but in parameters. */
typedef const int (*const_rows_t)[3];
typedef const int (*row_table_t[2])[3];

struct holds_rows {
	const char (*name)[16];
	const int (**rows)[3];
	const int (*table[2])[3];
	const int (*(*nested)[2])[3];
};

const int (*first_row(void))[3];
extern void (*visit_rows)(const int (*rows)[3]);
extern const int (*var_rows)[3];
extern const int (*var_table[2])[3];
extern const int (**var_indirect)[3];
extern const int (*(*var_nested)[2])[3];
