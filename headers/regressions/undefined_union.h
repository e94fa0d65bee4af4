/* A union declared but never defined: bindgen emits a Rust *struct* with
 * `_unused: [u8; 0]`, as for an undefined struct; kbind predicted a union. */
union never_defined;
struct uses_it {
	union never_defined *p;
};
void take_union(union never_defined *u);
