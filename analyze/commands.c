/* commands.c - the table of perfanalyze's analysis commands (command.h).
 * Adding an analysis is one cmd_*.c file and one line here. */
#include "command.h"

const struct pk_command *const pk_commands[] = {
	NULL,
};
