/* usv-run.c — libsieve's callbacks for unscatter-sieve: hand it the script
 * and the view (usv-view.h), collect its actions and errors (RFC 5228:
 * keep, discard, fileinto; redirect refused; RFC 5228 section 2.10.6: errors
 * mean implicit keep, decided in usv-plan.c).
 *
 * libsieve 2.2.6 traps met here: parse errors come only through the
 * SIEVE2_ERRCALL_PARSE callback (sieve2_execute() still returns SIEVE2_OK),
 * so they are counted; the context is allocated and freed per call (state
 * from one message must not reach the next); values handed to libsieve must
 * outlive the callback (they point into the view).
 */
#include "config.h"
#include "usv-run.h"

#include <stddef.h>   /* sieve2_error.h uses NULL */
#include <sieve2.h>
#include <string.h>

typedef struct {
  const char       *script;
  const UsvView    *view;
  UsvOutcome       *out;
} RunData;

static char *no_values[] = { NULL };

void
usv_outcome_init (UsvOutcome *out)
{
  memset (out, 0, sizeof *out);
  out->actions = g_array_new (FALSE, TRUE, sizeof (UsvAction));
  out->parse_errors = g_ptr_array_new_with_free_func (g_free);
  out->runtime_errors = g_ptr_array_new_with_free_func (g_free);
}

void
usv_outcome_clear (UsvOutcome *out)
{
  if (out->actions) {
    for (guint i = 0; i < out->actions->len; i++)
      g_free (g_array_index (out->actions, UsvAction, i).arg);
    g_array_unref (out->actions);
  }
  if (out->parse_errors)
    g_ptr_array_unref (out->parse_errors);
  if (out->runtime_errors)
    g_ptr_array_unref (out->runtime_errors);
  g_free (out->status_detail);
  memset (out, 0, sizeof *out);
}

void
usv_outcome_add_action (UsvOutcome *out, UsvActionType type, const char *arg)
{
  UsvAction a = { type, g_strdup (arg) };
  g_array_append_val (out->actions, a);
}

const char *
usv_rc_text (int rc)
{
  return sieve2_errstr (rc);
}

/* ---- actions ---- */

static int
on_keep (sieve2_context_t *s G_GNUC_UNUSED, void *data)
{
  usv_outcome_add_action (((RunData *) data)->out, USV_ACTION_KEEP, NULL);
  return SIEVE2_OK;
}

static int
on_discard (sieve2_context_t *s G_GNUC_UNUSED, void *data)
{
  usv_outcome_add_action (((RunData *) data)->out, USV_ACTION_DISCARD, NULL);
  return SIEVE2_OK;
}

static int
on_fileinto (sieve2_context_t *s, void *data)
{
  const char *mailbox = sieve2_getvalue_string (s, "mailbox");
  usv_outcome_add_action (((RunData *) data)->out, USV_ACTION_FILEINTO, mailbox ? mailbox : "");
  return SIEVE2_OK;
}

/* A filter must not send mail: redirect is recorded as refused, not done. */
static int
on_redirect (sieve2_context_t *s, void *data)
{
  const char *addr = sieve2_getvalue_string (s, "address");
  char *what = g_strdup_printf ("redirect to <%s>", addr ? addr : "");
  usv_outcome_add_action (((RunData *) data)->out, USV_ACTION_REFUSED, what);
  g_free (what);
  return SIEVE2_OK;
}

/* ---- errors ---- */

static int
on_parse_error (sieve2_context_t *s, void *data)
{
  const char *msg = sieve2_getvalue_string (s, "message");
  g_ptr_array_add (((RunData *) data)->out->parse_errors,
                   g_strdup_printf ("line %d: %s", sieve2_getvalue_int (s, "lineno"),
                                    msg ? msg : "parse error"));
  return SIEVE2_OK;
}

static int
on_runtime_error (sieve2_context_t *s, void *data)
{
  const char *msg = sieve2_getvalue_string (s, "message");
  g_ptr_array_add (((RunData *) data)->out->runtime_errors, g_strdup (msg ? msg : "runtime error"));
  return SIEVE2_OK;
}

/* ---- the script and the message ---- */

static int
on_getscript (sieve2_context_t *s, void *data)
{
  /* libsieve asks for the main script with empty path and name; there are
   * no includes. */
  const char *path = sieve2_getvalue_string (s, "path");
  const char *name = sieve2_getvalue_string (s, "name");
  if ((path && *path) || (name && *name))
    return SIEVE2_ERROR_UNSUPPORTED;
  sieve2_setvalue_string (s, "script", (char *) ((RunData *) data)->script);
  return SIEVE2_OK;
}

static int
on_getheader (sieve2_context_t *s, void *data)
{
  char **values = usv_view_header (((RunData *) data)->view, sieve2_getvalue_string (s, "header"));
  sieve2_setvalue_stringlist (s, "body", values ? values : no_values);
  return SIEVE2_OK;
}

/* "from" and "to". For any other part ("auth") libsieve reads back an
 * uninitialised pointer: it crashes (see usv-child.c), or goes on with stale
 * data — so the run is marked failed here, and the message is kept either way. */
static int
on_getenvelope (sieve2_context_t *s, void *data)
{
  const UsvView *v = ((RunData *) data)->view;
  const char *part = sieve2_getvalue_string (s, "env");
  if (part == NULL || (g_ascii_strcasecmp (part, "from") != 0 && g_ascii_strcasecmp (part, "to") != 0)) {
    char *shown = g_strescape (part ? part : "", NULL);
    g_ptr_array_add (((RunData *) data)->out->runtime_errors,
                     g_strdup_printf ("envelope part \"%s\" is not supported (only \"from\" and \"to\")", shown));
    g_free (shown);
  }
  if (usv_view_sender (v))
    sieve2_setvalue_string (s, "from", (char *) usv_view_sender (v));
  if (usv_view_recipient (v))
    sieve2_setvalue_string (s, "to", (char *) usv_view_recipient (v));
  return SIEVE2_OK;
}

static int
on_getsize (sieve2_context_t *s, void *data)
{
  gsize size = usv_view_size (((RunData *) data)->view);
  sieve2_setvalue_int (s, "size", size > G_MAXINT ? G_MAXINT : (int) size);
  return SIEVE2_OK;
}

int
usv_run (const char *script, const UsvView *view, UsvOutcome *out)
{
  sieve2_callback_t callbacks[] = {
    { SIEVE2_ACTION_KEEP, on_keep },
    { SIEVE2_ACTION_DISCARD, on_discard },
    { SIEVE2_ACTION_FILEINTO, on_fileinto },
    { SIEVE2_ACTION_REDIRECT, on_redirect },
    { SIEVE2_ERRCALL_PARSE, on_parse_error },
    { SIEVE2_ERRCALL_RUNTIME, on_runtime_error },
    { SIEVE2_SCRIPT_GETSCRIPT, on_getscript },
    { SIEVE2_MESSAGE_GETHEADER, on_getheader },
    { SIEVE2_MESSAGE_GETENVELOPE, on_getenvelope },
    { SIEVE2_MESSAGE_GETSIZE, on_getsize },
    { 0, NULL }
  };
  RunData data = { script, view, out };
  sieve2_context_t *ctx = NULL;
  out->status = USV_STATUS_DONE;
  int rc = sieve2_alloc (&ctx);
  if (rc == SIEVE2_OK)
    rc = sieve2_callbacks (ctx, callbacks);
  if (rc == SIEVE2_OK)
    rc = sieve2_execute (ctx, &data);
  if (ctx)
    sieve2_free (&ctx);
  out->rc = rc;
  return rc;
}
