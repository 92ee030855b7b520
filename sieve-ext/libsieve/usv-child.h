/* usv-child.h — run usv_run() in a child process, so that libsieve crashing
 * (it does: `envelope :is "auth" ""` reads an uninitialised pointer), hanging
 * or running out of memory never takes the delivery with it. The child reports
 * its outcome over a pipe and exits; the parent takes a report only when it
 * is complete and the child exited 0.
 */
#ifndef USV_CHILD_H
#define USV_CHILD_H

#include <glib.h>
#include "usv-run.h"

G_BEGIN_DECLS

/* Evaluate @script against @view in a forked child, waiting at most
 * @timeout seconds (the child is then killed). Fills @out (initialised by
 * the caller): status DONE with the child's actions and errors; CRASHED
 * (killed by a signal, a non-zero exit, or a report cut short), TIMEOUT, or
 * FAILED (no pipe, no fork, a garbled report), each with status_detail and
 * no actions. Never fails otherwise. */
void usv_run_isolated (const char *script, const UsvView *view, double timeout, UsvOutcome *out);

/* The wire format, for the tests: @out as the child sends it, and back.
 * usv_report_parse() returns FALSE (and leaves a partly filled @out) on a
 * garbled or incomplete report; a complete one ends with its end record. */
GBytes *usv_report_build (const UsvOutcome *out);
gboolean usv_report_parse (const guint8 *data, gsize len, UsvOutcome *out);

G_END_DECLS
#endif
