/* unscatter-glue.c — the GLib side of the Pigeonhole plugin: one user's
 * UscContext, classification of the message Dovecot is delivering through
 * usc_classify() (the pipeline the CLI's check, filter and deliver use), and
 * recording of a sent message through usc_sent_record_message() (as
 * `unscatter record`). No Dovecot header is included here (see
 * unscatter-glue.h); nothing here prints or logs: the caller logs through
 * Dovecot.
 */
#include "config.h"
#include "unscatter-glue.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gmime/gmime.h>

#include "usc-classify.h"
#include "usc-sent.h"

/* What a file was when the context was made from it (see glue_stale()). */
struct glue_stamp {
	gboolean exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	gint64 mtime_ns, ctime_ns;
};

/* The files a context is made from: a change in one makes a new context. */
enum { STAMP_CONFIG, STAMP_KEYS, STAMP_SIGN_KEYS, STAMP_RECORD, STAMP_N };

struct unscatter_glue_user {
	char *home, *config, *record;   /* as given: with euid, the key */
	uid_t euid;
	UscContext *ctx;        /* made on first use */
	char *ctx_error;        /* why it could not be made (kept: same answer
	                           each time, until a file changes) */
	char *paths[STAMP_N];   /* NULL: not a file (none, or a Redis URL) */
	struct glue_stamp stamps[STAMP_N];
	unsigned refs;          /* Sieve instances holding it */
	gboolean kept;          /* it is glue_kept */
	unsigned uses;          /* messages since the record was last closed */
};

/* The kept record is closed (and opened again at the next use) after this
 * many messages: SQLite's page cache, which grows with the pages a
 * connection has seen up to 2 MB, starts again, so that an LMTP process's
 * memory stays flat; and a close now and then checkpoints the WAL. */
#define GLUE_RECORD_USES 500

/* The last user's context, kept across Sieve instances (deliveries), and
 * the process that made it (a forked child must not touch its record). */
static struct unscatter_glue_user *glue_kept;
static pid_t glue_kept_pid;

static void glue_user_destroy(struct unscatter_glue_user *u);

/* At exit, close the kept record (SQLite then checkpoints a long WAL into
 * the file). Without this nothing is lost either: every decision and
 * recorded message was committed when it was made, and the next opener
 * reads the WAL. */
static void
glue_atexit(void)
{
	if (glue_kept != NULL && glue_kept_pid == getpid()) {
		struct unscatter_glue_user *u = glue_kept;
		glue_kept = NULL;
		glue_user_destroy(u);
	}
}

void
unscatter_glue_process_init(void)
{
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		g_mime_init();
		atexit(glue_atexit);
		g_once_init_leave(&done, 1);
	}
}

static void
glue_stamp_take(const char *path, struct glue_stamp *st)
{
	struct stat sb;

	memset(st, 0, sizeof *st);
	if (path == NULL || stat(path, &sb) != 0)
		return;
	st->exists = TRUE;
	st->dev = sb.st_dev;
	st->ino = sb.st_ino;
	st->size = sb.st_size;
	st->mtime_ns = (gint64)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
	st->ctime_ns = (gint64)sb.st_ctim.tv_sec * 1000000000 + sb.st_ctim.tv_nsec;
}

/* TRUE when a file the context was made from is no longer what it was: for
 * the config and the keys any change (they are read once per context); for
 * the record only another file (created, removed, replaced), since SQLite
 * itself sees what other processes write into it. */
static gboolean
glue_stale(const struct unscatter_glue_user *u)
{
	for (int i = 0; i < STAMP_N; i++) {
		struct glue_stamp now;
		const struct glue_stamp *then = &u->stamps[i];

		if (u->paths[i] == NULL)
			continue;
		glue_stamp_take(u->paths[i], &now);
		if (now.exists != then->exists || now.dev != then->dev || now.ino != then->ino)
			return TRUE;
		if (i != STAMP_RECORD && (now.size != then->size || now.mtime_ns != then->mtime_ns
					  || now.ctime_ns != then->ctime_ns))
			return TRUE;
	}
	return FALSE;
}

static void
glue_drop_context(struct unscatter_glue_user *u)
{
	u->uses = 0;
	usc_context_free(&u->ctx);
	g_clear_pointer(&u->ctx_error, g_free);
	for (int i = 0; i < STAMP_N; i++)
		g_clear_pointer(&u->paths[i], g_free);
	memset(u->stamps, 0, sizeof u->stamps);
}

static void
glue_user_destroy(struct unscatter_glue_user *u)
{
	glue_drop_context(u);
	g_free(u->home);
	g_free(u->config);
	g_free(u->record);
	g_free(u);
}

static gboolean
glue_user_is(const struct unscatter_glue_user *u, const char *home, const char *config,
	     const char *record)
{
	return u->euid == geteuid() && g_strcmp0(u->home, home) == 0
		&& g_strcmp0(u->config, config) == 0 && g_strcmp0(u->record, record) == 0;
}

struct unscatter_glue_user *
unscatter_glue_user_get(const char *home, const char *config, const char *record)
{
	struct unscatter_glue_user *u;

	if (glue_kept != NULL && glue_kept_pid != getpid()) {
		/* A forked child: the record's connection is the parent's
		   (SQLite connections must not cross fork()): leave it. */
		glue_kept = NULL;
	}
	if (glue_kept != NULL && glue_user_is(glue_kept, home, config, record)) {
		glue_kept->refs++;
		return glue_kept;
	}
	u = g_new0(struct unscatter_glue_user, 1);
	u->home = g_strdup(home);
	u->config = g_strdup(config);
	u->record = g_strdup(record);
	u->euid = geteuid();
	u->refs = 1;
	if (glue_kept == NULL || glue_kept->refs == 0) {
		if (glue_kept != NULL)
			glue_user_destroy(glue_kept);
		glue_kept = u;
		glue_kept_pid = getpid();
		u->kept = TRUE;
	}
	return u;
}

void
unscatter_glue_user_release(struct unscatter_glue_user **user)
{
	struct unscatter_glue_user *u;

	if (user == NULL || *user == NULL)
		return;
	u = *user;
	*user = NULL;
	if (u->refs > 0)
		u->refs--;
	if (u->refs > 0)
		return;
	if (!u->kept) {
		glue_user_destroy(u);
		return;
	}
	/* Kept for the next delivery; a network record is not held idle, an
	   SQLite one not for ever (GLUE_RECORD_USES). */
	if (u->ctx != NULL && (u->uses >= GLUE_RECORD_USES
			       || usc_record_is_redis_url(usc_context_record_path(u->ctx)))) {
		usc_context_close_record(u->ctx);
		u->uses = 0;
	}
}

/* The config file usc_context_new() reads for @u (as usc_config_load_for_home()
 * finds it), existing or not. */
static char *
glue_config_path(const struct unscatter_glue_user *u)
{
	if (u->config != NULL)
		return g_strdup(u->config);
	if (u->home != NULL)
		return g_build_filename(u->home, ".config", "unscatter", "config", NULL);
	return g_build_filename(g_get_user_config_dir(), "unscatter", "config", NULL);
}

static UscContext *
user_context(struct unscatter_glue_user *u, char **error_r)
{
	if ((u->ctx != NULL || u->ctx_error != NULL) && glue_stale(u))
		glue_drop_context(u);
	if (u->ctx == NULL && u->ctx_error == NULL) {
		GError *error = NULL;

		/* Stamped before reading: a change made while the context is
		   being made shows at the next use. */
		u->paths[STAMP_CONFIG] = glue_config_path(u);
		glue_stamp_take(u->paths[STAMP_CONFIG], &u->stamps[STAMP_CONFIG]);
		u->ctx = usc_context_new(u->home, u->config, u->record, &error);
		if (u->ctx == NULL) {
			u->ctx_error = g_strdup_printf("configuration: %s",
				error ? error->message : "unknown error");
			g_clear_error(&error);
		} else {
			const UscConfig *c = usc_context_config(u->ctx);
			const char *rec = usc_context_record_path(u->ctx);

			/* As usc_context_keys() finds them (read later, on the
			   first bounce: a change after this stamp shows next time). */
			if (c->batv_keys != NULL)
				u->paths[STAMP_KEYS] = g_strdup(c->batv_keys);
			else if (u->home != NULL)
				u->paths[STAMP_KEYS] = g_build_filename(u->home, ".config", "unscatter", "batv-keys", NULL);
			else
				u->paths[STAMP_KEYS] = g_build_filename(g_get_user_config_dir(), "unscatter", "batv-keys", NULL);
			u->paths[STAMP_SIGN_KEYS] = g_strdup(c->sign_keys);
			if (!usc_record_is_redis_url(rec))
				u->paths[STAMP_RECORD] = g_strdup(rec);
			for (int i = STAMP_KEYS; i < STAMP_N; i++)
				glue_stamp_take(u->paths[i], &u->stamps[i]);
		}
	}
	if (u->ctx == NULL)
		*error_r = g_strdup(u->ctx_error);
	return u->ctx;
}

const char *
unscatter_glue_record_path(struct unscatter_glue_user *u)
{
	char *error = NULL;
	UscContext *ctx = user_context(u, &error);

	g_free(error);
	return ctx ? usc_context_record_path(ctx) : NULL;
}

/* @s reduced to printable ASCII (anything else becomes '?'), at most @max
 * bytes, appended to @out: the log line carries attacker-controlled text. */
static void
append_printable(GString *out, const char *s, gsize max)
{
	for (gsize n = 0; s[n] != '\0' && n < max; n++)
		g_string_append_c(out, (s[n] >= 0x20 && s[n] < 0x7f) ? s[n] : '?');
}

static char *
outcome_log_line(const UscResult *r)
{
	char *summary = usc_result_summary(r);
	GString *line = g_string_new(summary);
	g_free(summary);
	const GPtrArray *reasons = r->verdict->reasons;

	if (reasons != NULL && reasons->len > 0) {
		g_string_append(line, " reasons=");
		for (guint i = 0; i < reasons->len && line->len < 1500; i++) {
			if (i > 0)
				g_string_append(line, "; ");
			append_printable(line, reasons->pdata[i], 400);
		}
	}
	return g_string_free(line, FALSE);
}

int
unscatter_glue_classify(struct unscatter_glue_user *u, unscatter_glue_reader_t *reader,
			void *reader_context, const char *recipient, const char *sender,
			struct unscatter_glue_outcome *out)
{
	memset(out, 0, sizeof *out);
	UscContext *ctx = user_context(u, &out->error);
	if (ctx == NULL)
		return -1;

	const UscLimits *limits = &usc_context_config(ctx)->limits;
	const void *data;
	size_t size;
	const char *read_error;

	if (reader(reader_context, limits->max_bytes, &data, &size, &read_error) < 0) {
		out->error = g_strdup(read_error);
		return -1;
	}
	u->uses++;

	GError *error = NULL;
	UscMessage *msg = NULL;
	UscResult result;
	gboolean ok = FALSE;

	memset(&result, 0, sizeof result);
	if (size > limits->max_bytes) {
		g_set_error(&error, USC_ERROR, USC_ERROR_LIMIT,
			    "message of %" G_GSIZE_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT,
			    (gsize)size, limits->max_bytes);
	} else {
		/* The bytes stay Dovecot's: nothing made here outlives this call. */
		GBytes *raw = g_bytes_new_static(data, size);
		msg = usc_message_new_from_bytes(raw, limits, &error);
		g_bytes_unref(raw);
	}
	if (msg != NULL)
		ok = usc_classify(ctx, msg, recipient, sender, &result, &error);
	if (ok) {
		out->classified = 1;
		out->is_bounce = result.bounce->kind != USC_KIND_NOT_BOUNCE;
		out->is_backscatter = result.verdict->verdict == USC_VERDICT_BACKSCATTER;
		out->kind = usc_kind_name(result.bounce->kind);
		out->verdict = usc_verdict_name(result.verdict->verdict);
		out->log_line = outcome_log_line(&result);
		if (!usc_context_count_decision(ctx, &result, &error)) {
			out->error = g_strdup_printf("decision not counted: %s", error->message);
			g_clear_error(&error);
		}
	} else {
		out->unjudgeable = usc_error_is_unjudgeable(error);
		out->error = g_strdup(error ? error->message : "unknown error");
		g_clear_error(&error);
		/* A record that failed may work for the next message. */
		usc_context_close_record(ctx);
	}
	usc_result_clear(&result);
	usc_message_free(&msg);
	return ok ? 0 : -1;
}

void
unscatter_glue_outcome_clear(struct unscatter_glue_outcome *out)
{
	if (out == NULL)
		return;
	g_clear_pointer(&out->log_line, g_free);
	g_clear_pointer(&out->error, g_free);
	memset(out, 0, sizeof *out);
}

int
unscatter_glue_record(struct unscatter_glue_user *u, unscatter_glue_reader_t *reader,
		      void *reader_context, char **error_r)
{
	*error_r = NULL;
	UscContext *ctx = user_context(u, error_r);
	if (ctx == NULL)
		return -1;

	const void *data;
	size_t size;
	const char *read_error;

	if (reader(reader_context, usc_context_config(ctx)->limits.max_bytes, &data, &size,
		 &read_error) < 0) {
		*error_r = g_strdup(read_error);
		return -1;
	}
	u->uses++;

	GError *error = NULL;
	UscRecord *record = usc_context_record(ctx, TRUE, &error);
	int ret = -1;

	if (record != NULL) {
		UscSentCounts counts;
		memset(&counts, 0, sizeof counts);
		ret = usc_sent_record_message(record, data, size, NULL, 0, &counts, &error);
		if (ret == -2)
			ret = -1;
	}
	if (ret >= 0 && u->paths[STAMP_RECORD] != NULL && !u->stamps[STAMP_RECORD].exists) {
		/* Created just now, open here: not a reason for a new context. */
		glue_stamp_take(u->paths[STAMP_RECORD], &u->stamps[STAMP_RECORD]);
	}
	if (ret < 0) {
		*error_r = g_strdup(error ? error->message : "unknown error");
		g_clear_error(&error);
		usc_context_close_record(ctx);
	}
	return ret;
}

void
unscatter_glue_free(void *p)
{
	g_free(p);
}
