/* tui/main.c: ddtree's entry point. */
#include "ddconfig.h"

#include <locale.h>

#include "aws/util.h"
#include "tui/cli.h"

int main(int argc, char **argv)
{
	/* first: the environment may already hold credentials, and a core
	 * dump would carry them; this also sets the wiping allocators of
	 * OpenSSL, libcurl and jansson before they allocate anything */
	util_secure_init();
	setlocale(LC_ALL, "");
	return cli_main(argc, argv);
}
