/* tui/main.c: ddtree's entry point. */
#include "ddconfig.h"

#include <locale.h>

#include "tui/cli.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return cli_main(argc, argv);
}
