/* cmd_common.h - what the text renderers of the commands share: the
 * profile/window lines of a text report.  JSON members and CSV fields are
 * core/json_write.h's and core/csv_write.h's, shared by every writer. */
#ifndef PK_CMD_COMMON_H
#define PK_CMD_COMMON_H

#include <stdint.h>
#include "../core/buf.h"
#include "compare.h"

/* Text report head: "profile     P\nwindow      FROM .. TO\n" (P printable). */
enum pk_status pk_cmd_text_head(struct pk_buf *o, const char *profile, const struct pk_window *w);

#endif
