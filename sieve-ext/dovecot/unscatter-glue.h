/* unscatter-glue.h — the plugin's bridge to libunscatter.
 *
 * GLib and Dovecot's lib.h define the same macros (TRUE, FALSE, MIN, MAX,
 * N_ELEMENTS, ...) and cannot share a translation unit, so the plugin's
 * Dovecot side (ext-unscatter.c, tst-*.c, cmd-*.c) talks to the library
 * only through this header, which uses neither: plain C types, strings
 * either static or owned by the glue and freed by its functions.
 */
#ifndef UNSCATTER_GLUE_H
#define UNSCATTER_GLUE_H

#include <stddef.h>

/* One user's classification context: the library's UscContext (config,
 * record opened on first use, BATV keys), made when first needed and kept
 * for the next Sieve instance of the same user in this process (see
 * unscatter_glue_user_get()). */
struct unscatter_glue_user;

/* What usc_classify said about one message. */
struct unscatter_glue_outcome {
	int classified;       /* 1: the fields below hold a verdict; 0: an internal
	                         failure or an unjudgeable message (see error) */
	int is_bounce;        /* kind other than not-bounce */
	int is_backscatter;   /* verdict backscatter */
	const char *kind;     /* "not-bounce", "dsn", ... (static) or NULL */
	const char *verdict;  /* "not-bounce", "legitimate", ... (static) or NULL */
	char *log_line;       /* "verdict=V kind=K id=<ID> action=A reasons=...":
	                         printable ASCII, bounded; owned, or NULL */
	char *error;          /* why classified is 0 (owned), or NULL */
	int unjudgeable;      /* the message itself cannot be judged (parse, limits) */
};

/* Initialise GMime (once per process; later calls do nothing; never undone:
 * GLib's type system cannot be unloaded, so the plugin is never unmapped). */
void unscatter_glue_process_init(void);

/* The context for the user whose home is @home (may be NULL: then @record
 * and the config must be absolute), with the config file @config (NULL: the
 * default under @home, only if it exists) and the record @record (path or
 * URL; NULL: the config's record.path, else @home/.local/share/unscatter/
 * record.db). Nothing is opened yet: errors come with the first use. All
 * strings are copied. Never NULL; give it back with
 * unscatter_glue_user_release().
 *
 * The process keeps the last user's context (an LMTP process delivers
 * message after message, mostly to the same users): the same user (same
 * effective uid, home, config and record settings) gets it back, with its
 * SQLite record still open (no open, schema read, statement preparation and
 * WAL index rebuild per delivery). Before every use the context is checked
 * against the files it was made from: a config or BATV key file that was
 * changed, created or removed, or a record file that was replaced, created
 * or removed, makes a new context. Another user's request replaces the kept
 * context (closing its record) unless that one is in use; then it gets a
 * context of its own, freed at release. A Redis record is closed at every
 * release (no idle connection is kept), an SQLite one after 500 messages
 * (its page cache starts again: memory stays flat). The kept record is
 * closed at process exit (atexit; not in a forked child). */
struct unscatter_glue_user *
unscatter_glue_user_get(const char *home, const char *config,
			const char *record);
/* Gives @user back (kept for the next delivery, or freed when it is not the
 * process's kept context) and sets *@user to NULL; accepts NULL. */
void unscatter_glue_user_release(struct unscatter_glue_user **user);

/* How the glue gets the message from the caller (Dovecot's stream), once
 * the user's context is known to be good: at most @max bytes (0: no limit;
 * a longer message is given as @max + 1 bytes, for the library to refuse),
 * into memory the reader owns and keeps until the glue call that asked
 * returns. Returns 0 with *@data_r and *@size_r, or -1 with *@error_r (the
 * reader's, valid as long). */
typedef int unscatter_glue_reader_t(void *context, size_t max, const void **data_r,
				    size_t *size_r, const char **error_r);

/* Classify the message @reader gives (with @reader_context; as stored)
 * delivered to @recipient (the original recipient, where a BATV tag sits)
 * from @sender ("" for the null sender). The user's files are checked once
 * (see unscatter_glue_user_get()), before the message is read: a context
 * that cannot be made reads nothing. Fills @out (clear it with
 * unscatter_glue_outcome_clear()). Returns 0 when classified, -1 when not
 * (out->error says why). A decision is counted in the record for
 * `unscatter stats` (a failure there only adds to out->error's warning). */
int unscatter_glue_classify(struct unscatter_glue_user *user,
			    unscatter_glue_reader_t *reader, void *reader_context,
			    const char *recipient, const char *sender,
			    struct unscatter_glue_outcome *out);
void unscatter_glue_outcome_clear(struct unscatter_glue_outcome *out);

/* Add the sent message @reader gives (its header block is enough; bounded
 * as for unscatter_glue_classify()) to the user's record (created when
 * missing). Returns 1 added, 0 already present (or nothing to record), -1
 * failure with *@error_r (owned: free with unscatter_glue_free()). */
int unscatter_glue_record(struct unscatter_glue_user *user,
			  unscatter_glue_reader_t *reader, void *reader_context, char **error_r);

/* The record's path as the context resolved it (owned by @user), for logs;
 * NULL when the context could not be made. */
const char *unscatter_glue_record_path(struct unscatter_glue_user *user);

void unscatter_glue_free(void *p);

#endif
