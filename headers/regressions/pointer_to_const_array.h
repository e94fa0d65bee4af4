/* A pointer to an array of const elements is `*const [T; N]`: C's rule that
 * an array is as qualified as its elements. Typedef'd arrays decay too. */
typedef __builtin_va_list va_list;
typedef int row_t[4];
void take_rows(const char names[][8], va_list ap, row_t r, const row_t cr);
extern const int (*matrix_ptr)[3];
