/* cli-jobs.h — a batch of files shared among worker processes, output in
 * input order (`check --jobs N`). */
#ifndef CLI_JOBS_H
#define CLI_JOBS_H

#include <glib.h>

/* Handles one file: appends what it would print to @out (stdout) and @err
 * (stderr); returns its part of the batch's answer (TRUE: backscatter). */
typedef gboolean (*CliJobFn) (gpointer data, const char *file, GString *out, GString *err);

/* Runs @fn on each of @files (@n of them) and writes, message after message
 * in input order, its @err text to stderr and its @out text to stdout
 * (flushed after each), exactly as one process doing them in turn would.
 * With @jobs > 1 and more than one file, @jobs worker processes (fork(),
 * before anything opened a database: @fn must open what it needs itself)
 * take the files one at a time and send their output through a pipe.
 * A worker that dies (the watchdog's _exit, a signal) ends the batch at the
 * message it was on, as the single process would have ended there.
 * Returns TRUE when every call of @fn did (and no worker died). */
gboolean cli_jobs_run (const char *const *files, guint n, guint jobs, CliJobFn fn, gpointer data);

#endif
