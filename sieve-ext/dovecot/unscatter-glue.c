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

#include <string.h>
#include <gmime/gmime.h>

#include "usc-classify.h"
#include "usc-sent.h"

struct unscatter_glue_user {
	char *home, *config, *record;
	UscContext *ctx;        /* made on first use */
	char *ctx_error;        /* why it could not be made (kept: same answer each time) */
};

void
unscatter_glue_process_init(void)
{
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		g_mime_init();
		g_once_init_leave(&done, 1);
	}
}

struct unscatter_glue_user *
unscatter_glue_user_new(const char *home, const char *config, const char *record)
{
	struct unscatter_glue_user *u = g_new0(struct unscatter_glue_user, 1);

	u->home = g_strdup(home);
	u->config = g_strdup(config);
	u->record = g_strdup(record);
	return u;
}

void
unscatter_glue_user_free(struct unscatter_glue_user **user)
{
	if (user == NULL || *user == NULL)
		return;
	usc_context_free(&(*user)->ctx);
	g_free((*user)->home);
	g_free((*user)->config);
	g_free((*user)->record);
	g_free((*user)->ctx_error);
	g_free(*user);
	*user = NULL;
}

static UscContext *
user_context(struct unscatter_glue_user *u, char **error_r)
{
	if (u->ctx == NULL && u->ctx_error == NULL) {
		GError *error = NULL;

		u->ctx = usc_context_new(u->home, u->config, u->record, &error);
		if (u->ctx == NULL) {
			u->ctx_error = g_strdup_printf("configuration: %s",
				error ? error->message : "unknown error");
			g_clear_error(&error);
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
unscatter_glue_classify(struct unscatter_glue_user *u, const void *data, size_t size,
			const char *recipient, const char *sender,
			struct unscatter_glue_outcome *out)
{
	memset(out, 0, sizeof *out);
	UscContext *ctx = user_context(u, &out->error);
	if (ctx == NULL)
		return -1;

	const UscLimits *limits = &usc_context_config(ctx)->limits;
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
unscatter_glue_record(struct unscatter_glue_user *u, const void *data, size_t size,
		      char **error_r)
{
	*error_r = NULL;
	UscContext *ctx = user_context(u, error_r);
	if (ctx == NULL)
		return -1;

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
	if (ret < 0) {
		*error_r = g_strdup(error ? error->message : "unknown error");
		g_clear_error(&error);
		usc_context_close_record(ctx);
	}
	return ret;
}

size_t
unscatter_glue_max_bytes(struct unscatter_glue_user *u)
{
	char *error = NULL;
	UscContext *ctx = user_context(u, &error);

	g_free(error);
	return ctx ? usc_context_config(ctx)->limits.max_bytes : 0;
}

void
unscatter_glue_free(void *p)
{
	g_free(p);
}
