/* version.h - the version perfreport states in the reports it writes (the
 * shared PK_VERSION of core/cli.h), and the version of the report layout. */
#ifndef PK_REPORT_VERSION_H
#define PK_REPORT_VERSION_H

#include "../core/cli.h"

#define PERFKIT_VERSION PK_VERSION

/* Bumped when the sections or tables of a report change. */
#define PK_REPORT_FORMAT 1

#endif
