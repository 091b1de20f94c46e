/* commands.c - the table of perfanalyze's analysis commands (command.h).
 * Adding an analysis is one cmd_*.c file and one line here. */
#include "command.h"

extern const struct pk_command pk_cmd_list, pk_cmd_analyze, pk_cmd_compare;
extern const struct pk_command pk_cmd_throttling, pk_cmd_load_levels, pk_cmd_quality;
extern const struct pk_command pk_cmd_regressions;
extern const struct pk_command pk_cmd_tiers;
extern const struct pk_command pk_cmd_correlate;
extern const struct pk_command pk_cmd_experiment, pk_cmd_experiments;
const struct pk_command *const pk_commands[] = {
	&pk_cmd_list,
	&pk_cmd_analyze,
	&pk_cmd_compare,
	&pk_cmd_regressions,
	&pk_cmd_throttling,
	&pk_cmd_load_levels,
	&pk_cmd_quality,
	&pk_cmd_correlate,
	&pk_cmd_experiment,
	&pk_cmd_experiments,
	&pk_cmd_tiers,
	NULL,
};
