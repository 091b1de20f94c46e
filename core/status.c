/* status.c - messages and exit codes for enum pk_status. */
#include "status.h"

const char *pk_status_str(enum pk_status s)
{
	switch (s) {
	case PK_OK: return "success";
	case PK_PARTIAL: return "some input was rejected";
	case PK_USAGE: return "usage error";
	case PK_NODATA: return "no data";
	case PK_ERR_IO: return "input/output error";
	case PK_ERR_DB: return "database error";
	case PK_ERR_NOMEM: return "out of memory";
	case PK_ERR_EXTERNAL: return "external program failed";
	case PK_ERR_INPUT: return "unreadable input";
	}
	return "unknown status";
}

enum pk_exit pk_status_exit(enum pk_status s)
{
	switch (s) {
	case PK_OK: return PK_EXIT_OK;
	case PK_PARTIAL: return PK_EXIT_PARTIAL;
	case PK_USAGE: return PK_EXIT_USAGE;
	case PK_NODATA: return PK_EXIT_NODATA;
	default: return PK_EXIT_RUNTIME;
	}
}
