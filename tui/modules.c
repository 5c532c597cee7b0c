/* tui/modules.c: the one list of the browser's modules.  A new kind of
 * data is one line here plus its own file, which defines NAME_module. */
#include "ddconfig.h"

#include "tui/modules.h"

/* In this order: the header's fields, :help's commands. */
#define MODULES(X) X(chainlit) X(stache) X(tables) X(check)

#define MODULE_EXTERN(m) extern const struct module m##_module;
MODULES(MODULE_EXTERN)
#undef MODULE_EXTERN

static const struct module *const all[] = {
#define MODULE_REF(m) &m##_module,
	MODULES(MODULE_REF)
#undef MODULE_REF
};

const struct module *const *modules_all(size_t *n)
{
	*n = sizeof all / sizeof all[0];
	return all;
}
