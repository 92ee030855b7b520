/* usc-verdict.c — from the evidence about a bounce to a verdict, its reasons
 * and the configured action.
 *
 * Evidence, strongest first (see usc-verdict.h and doc/decisions.md):
 *   1. a BATV tag (draft-levine-smtp-batv-01) on the envelope recipient, or
 *      else on the returned original's envelope sender: valid -> legitimate;
 *      bad hash / expired / too far ahead / unknown key / malformed ->
 *      backscatter. No tag while batv.require is set -> backscatter. A tag
 *      when no BATV keys are configured is not evidence (it may be the
 *      MTA's own signing) and is only noted.
 *   2. an executable payload returned (usc-payload.h) -> backscatter,
 *      unless an original Message-ID is in the record (the user's own mail).
 *   3. the original's Message-IDs (RFC 5322 3.6.4) in the sent-mail record:
 *      any -> legitimate; none -> backscatter, unless a failed recipient was
 *      mailed by a message recorded without a Message-ID (its MTA gave it
 *      one we never saw) -> legitimate.
 *   4. failed recipients (RFC 3464 Final-Recipient) the user mailed with a
 *      Date in [original or bounce Date - window, bounce Date + 1 day]:
 *      -> legitimate, else backscatter (for a DSN or virus notice; for an
 *      auto-reply, challenge or feedback report the "recipient" is the
 *      responder, who need not be the address mailed: unknown).
 *   5. nothing to go on -> unknown.
 * SAFETY: a miss in an empty record (no record file, or no entries) proves
 * nothing: the verdict is then "unknown" with the reason "the sent-mail record
 * is empty". A recipient miss whose window starts before the record does
 * (the first days after recording began) is likewise "unknown"; a
 * Message-ID miss is not (IDs are strong evidence; import the Sent folder
 * when starting, see unscatter(1)).
 *
 * The header block (RFC 5322 2.2.3 folding) is printable ASCII only: every
 * attacker-controlled string is cleaned of CR, LF, controls and non-ASCII.
 */
#include "config.h"
#include "usc-verdict.h"

#include <string.h>

#define DAY 86400
#define MAX_SHOWN 3          /* Message-IDs / recipients named in one reason */
#define MAX_ITEM 160         /* characters of one attacker-controlled item */
#define MAX_REASON_HEADER 1500

/* A printable-ASCII, bounded copy of attacker-controlled @s. */
static char *
clean (const char *s)
{
  GString *o = g_string_sized_new (64);
  for (const guchar *p = (const guchar *) (s ? s : ""); *p && o->len < MAX_ITEM; p++) {
    if (*p == '\t' || *p == '\r' || *p == '\n')
      g_string_append_c (o, ' ');
    else if (*p < 0x20 || *p >= 0x7f)
      g_string_append_c (o, '?');
    else
      g_string_append_c (o, (char) *p);
  }
  if (s && strlen (s) > MAX_ITEM)
    g_string_append (o, "...");
  return g_string_free (o, FALSE);
}

static char *
day_string (gint64 t)
{
  GDateTime *dt = g_date_time_new_from_unix_utc (t);
  if (dt == NULL)
    return g_strdup ("?");
  char *s = g_date_time_format (dt, "%Y-%m-%d %H:%M UTC");
  g_date_time_unref (dt);
  return s;
}

/* "<a>, <b> and 3 more" from @arr (angle brackets when @angle). */
static char *
list_string (const GPtrArray *arr, gboolean angle)
{
  GString *o = g_string_new (NULL);
  for (guint i = 0; i < arr->len && i < MAX_SHOWN; i++) {
    char *c = clean (arr->pdata[i]);
    g_string_append_printf (o, "%s%s%s%s", i ? ", " : "", angle ? "<" : "", c, angle ? ">" : "");
    g_free (c);
  }
  if (arr->len > MAX_SHOWN)
    g_string_append_printf (o, " and %u more", arr->len - MAX_SHOWN);
  return g_string_free (o, FALSE);
}

static void G_GNUC_PRINTF (2, 3)
reason (UscVerdict *v, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_ptr_array_add (v->reasons, g_strdup_vprintf (fmt, ap));
  va_end (ap);
}

static UscVerdict *
finish (UscVerdict *v, UscVerdictKind verdict, const UscConfig *config)
{
  v->verdict = verdict;
  v->action = config ? config->action[verdict] : (verdict == USC_VERDICT_BACKSCATTER ? USC_ACTION_FILE
                                                                                      : USC_ACTION_DELIVER);
  return v;
}

/* Step 1: BATV. Returns TRUE when it decided (verdict set). */
static gboolean
decide_batv (UscVerdict *v, const UscBounce *bounce, const UscEnvelope *envelope,
             const UscBatvKeys *keys, const UscConfig *config, gint64 now)
{
  const char *cand[2] = { envelope ? envelope->recipient : NULL, bounce->envelope_sender };
  const char *where[2] = { "the envelope recipient", "the returned original's envelope sender" };
  gboolean have_keys = keys != NULL && usc_batv_keys_count (keys) > 0;
  int tagged = -1, untagged = -1;

  for (int i = 0; i < 2; i++) {
    if (cand[i] == NULL || *cand[i] == '\0')
      continue;
    v->batv_checked = TRUE;
    UscBatvResult res = { USC_BATV_NONE, NULL, NULL, -1, -1 };
    if (usc_batv_verify (have_keys ? keys : NULL, cand[i], now, &res) == USC_BATV_NONE) {
      usc_batv_result_clear (&res);
      if (untagged < 0)
        untagged = i;
      continue;
    }
    usc_batv_result_clear (&v->batv);
    v->batv = res;
    tagged = i;
    break;
  }

  if (tagged >= 0) {
    char *tag = clean (v->batv.tag ? v->batv.tag : cand[tagged]);
    if (!have_keys) {
      reason (v, "BATV tag %s on %s not checked: no BATV keys configured", tag, where[tagged]);
      g_free (tag);
      return FALSE;
    }
    if (v->batv.status == USC_BATV_VALID) {
      reason (v, "valid BATV tag %s on %s (key %d)", tag, where[tagged], v->batv.key_number);
      finish (v, USC_VERDICT_LEGITIMATE, config);
    } else {
      reason (v, "BATV tag %s on %s: %s (%u keys)", tag, where[tagged],
              usc_batv_status_reason (v->batv.status), usc_batv_keys_count (keys));
      finish (v, USC_VERDICT_BACKSCATTER, config);
    }
    g_free (tag);
    return TRUE;
  }
  if (config && config->batv_require && have_keys && untagged >= 0) {
    char *addr = clean (cand[untagged]);
    reason (v, "no BATV tag on %s %s, and batv.require is set (all sent mail is signed)",
            where[untagged], addr);
    g_free (addr);
    finish (v, USC_VERDICT_BACKSCATTER, config);
    return TRUE;
  }
  return FALSE;
}

/* Does @bounce hold a copy of the original's header (which a signature
 * would be in)? */
static gboolean
returns_header (const UscBounce *bounce)
{
  static const char *const copies[] = { "message/rfc822", "text/rfc822-headers", "message/global",
                                        "message/global-headers", "inline-copy" };
  if (bounce->signature.value)
    return TRUE;
  for (guint i = 0; i < bounce->id_sources->len; i++)
    for (gsize k = 0; k < G_N_ELEMENTS (copies); k++)
      if (strcmp (bounce->id_sources->pdata[i], copies[k]) == 0)
        return TRUE;
  return FALSE;
}

/* Step 0: X-Unscatter-Sig, checked (status in v->sign); TRUE when a valid
 * one decided. */
static gboolean
decide_sign_valid (UscVerdict *v, const UscBounce *bounce, const UscBatvKeys *sign_keys,
                   const UscConfig *config, gint64 now)
{
  const UscBounceSig *s = &bounce->signature;
  if (s->value == NULL)
    return FALSE;
  if (sign_keys == NULL || usc_batv_keys_count (sign_keys) == 0) {
    reason (v, "X-Unscatter-Sig in the returned original not checked: no signing keys configured");
    return FALSE;
  }
  UscSignFields f = { s->message_id, s->date, s->from, s->to, s->cc };
  v->sign = usc_sign_verify (sign_keys, s->value, &f, now, config ? config->expire_days : 180,
                             &v->sign_key, &v->sign_day);
  if (v->sign != USC_SIGN_VALID)
    return FALSE;
  char *d = day_string (v->sign_day * DAY);
  reason (v, "valid X-Unscatter-Sig (key %d, signed %.10s) on the returned original's header (from %s)",
          v->sign_key, d, s->source ? s->source : "?");
  g_free (d);
  finish (v, USC_VERDICT_LEGITIMATE, config);
  return TRUE;
}

/* Step 1b: an invalid signature, or none while sign.require is set. */
static gboolean
decide_sign_invalid (UscVerdict *v, const UscBounce *bounce, const UscBatvKeys *sign_keys,
                     const UscConfig *config)
{
  gboolean have_keys = sign_keys != NULL && usc_batv_keys_count (sign_keys) > 0;
  if (!have_keys)
    return FALSE;
  if (bounce->signature.value && v->sign != USC_SIGN_NONE && v->sign != USC_SIGN_VALID) {
    char *val = clean (bounce->signature.value);
    if (v->sign == USC_SIGN_EXPIRED) {
      char *d = day_string (v->sign_day * DAY);
      reason (v, "X-Unscatter-Sig %s on the returned original: expired (signed %.10s, more than %u days ago)",
              val, d, config ? config->expire_days : 180);
      g_free (d);
    } else {
      reason (v, "X-Unscatter-Sig %s on the returned original: %s (%u keys)", val,
              usc_sign_status_reason (v->sign), usc_batv_keys_count (sign_keys));
    }
    g_free (val);
    finish (v, USC_VERDICT_BACKSCATTER, config);
    return TRUE;
  }
  if (bounce->signature.value == NULL && config && config->sign_require && returns_header (bounce)) {
    reason (v, "no X-Unscatter-Sig on the returned original, and sign.require is set (all sent mail is signed)");
    finish (v, USC_VERDICT_BACKSCATTER, config);
    return TRUE;
  }
  return FALSE;
}

/* "invoice.txt: a PE executable; declared text/plain" for the first
 * executable parts, else the sniffed types. Newly allocated. */
static char *
payload_string (const UscBounce *bounce)
{
  GString *o = g_string_new (NULL);
  guint shown = 0, more = 0;
  for (guint i = 0; i < bounce->payloads->len; i++) {
    const UscPayload *p = bounce->payloads->pdata[i];
    if (!p->executable)
      continue;
    if (shown == 2) {
      more++;
      continue;
    }
    char *name = clean (p->name ? p->name : "(no name)");
    char *why = clean (p->why ? p->why : p->found_type);
    g_string_append_printf (o, "%s%s: %s", shown ? "; " : "", name, why);
    g_free (name);
    g_free (why);
    shown++;
  }
  if (more)
    g_string_append_printf (o, "; and %u more", more);
  if (o->len == 0) {
    char *types = list_string (bounce->payload_types, FALSE);
    g_string_append (o, *types ? types : "executable");
    g_free (types);
  }
  return g_string_free (o, FALSE);
}

/* Whether one of the bounce's original Message-IDs is in @record (of @count
 * entries): 1, with that ID's reason added to @v (the first found); 0 when
 * none is; -1 with @error on a record failure. */
static int
recorded_id (UscVerdict *v, const UscBounce *bounce, UscRecord *record, gint64 count, GError **error)
{
  for (guint i = 0; i < bounce->message_ids->len; i++) {
    int rc = usc_record_has_id (record, bounce->message_ids->pdata[i], error);
    if (rc == 1) {
      char *id = clean (bounce->message_ids->pdata[i]);
      reason (v, "original Message-ID <%s> (from %s) is in the sent record (%" G_GINT64_FORMAT " entries)",
              id, i < bounce->id_sources->len ? (const char *) bounce->id_sources->pdata[i] : "?", count);
      g_free (id);
    }
    if (rc != 0)
      return rc;
  }
  return 0;
}

/* Step 2: an executable payload. The user's own mail (an original
 * Message-ID in the record) stays legitimate: it was sent from the user's
 * machine, and a notice about it is one the user needs. Anything else, a
 * recipient match included (a worm mails its victim's correspondents), is
 * backscatter, whatever the record holds. NULL with @error on a record
 * failure. */
static UscVerdict *
decide_payload (UscVerdict *v, const UscBounce *bounce, UscRecord *record, const UscConfig *config,
                GError **error)
{
  char *what = payload_string (bounce);
  gint64 count = 0;
  if (record != NULL) {
    count = usc_record_count (record, error);
    if (count < 0)
      goto fail;
    v->record_size = count;
  }
  int found = count > 0 ? recorded_id (v, bounce, record, count, error) : 0;
  if (found < 0)
    goto fail;
  if (found == 1) {
    reason (v, "it returns the user's own mail with an executable payload (%s)", what);
    g_free (what);
    return finish (v, USC_VERDICT_LEGITIMATE, config);
  }
  reason (v, "the bounce carries an executable payload (%s) and matches no sent mail: a virus sent in the user's name",
          what);
  g_free (what);
  return finish (v, USC_VERDICT_BACKSCATTER, config);
fail:
  g_free (what);
  usc_verdict_free (&v);
  return NULL;
}

UscVerdict *
usc_verdict_decide (const UscBounce *bounce, const UscEnvelope *envelope, UscRecord *record,
                    const UscBatvKeys *keys, const UscConfig *config, GError **error)
{
  return usc_verdict_decide_signed (bounce, envelope, record, keys, keys, config, error);
}

UscVerdict *
usc_verdict_decide_signed (const UscBounce *bounce, const UscEnvelope *envelope, UscRecord *record,
                           const UscBatvKeys *keys, const UscBatvKeys *sign_keys,
                           const UscConfig *config, GError **error)
{
  UscVerdict *v = g_new0 (UscVerdict, 1);
  v->reasons = g_ptr_array_new_with_free_func (g_free);
  v->batv.key_number = v->batv.day = -1;
  v->record_size = -1;
  v->sign_key = -1;
  v->sign_day = -1;

  if (bounce->kind == USC_KIND_NOT_BOUNCE) {
    reason (v, "not a bounce: ordinary mail");
    return finish (v, USC_VERDICT_NOT_BOUNCE, config);
  }

  gint64 now = usc_now ();
  if (decide_sign_valid (v, bounce, sign_keys, config, now))
    return v;
  if (decide_batv (v, bounce, envelope, keys, config, now))
    return v;
  if (decide_sign_invalid (v, bounce, sign_keys, config))
    return v;

  if (bounce->executable)
    return decide_payload (v, bounce, record, config, error);

  gint64 count = 0, since = 0;
  if (record != NULL) {
    count = usc_record_count (record, error);
    if (count < 0)
      goto fail;
    since = usc_record_since (record, error);
    if (since < 0)
      goto fail;
    v->record_size = count;
  }
  gboolean have_ids = bounce->message_ids->len > 0;
  gboolean have_rcpts = bounce->recipients->len > 0;
  if (!have_ids && !have_rcpts) {
    reason (v, "the bounce names neither an original Message-ID nor a failed recipient");
    return finish (v, USC_VERDICT_UNKNOWN, config);
  }
  if (count == 0) {
    reason (v, "the sent-mail record is empty (%s): a miss would prove nothing about %u original Message-IDs and %u failed recipients",
            record ? "0 entries" : "no record file", bounce->message_ids->len, bounce->recipients->len);
    return finish (v, USC_VERDICT_UNKNOWN, config);
  }

  /* The recipient window. */
  gint64 bounce_time = bounce->bounce_time > 0 ? bounce->bounce_time : now;
  gint64 window = (gint64) (config ? config->recipient_window_days : 7) * DAY;
  gint64 w_since = (bounce->original_time > 0 ? bounce->original_time : bounce_time) - window;
  gint64 w_until = MAX (bounce_time, bounce->original_time) + DAY; /* clock skew */

  if (have_ids) {
    int found = recorded_id (v, bounce, record, count, error);
    if (found < 0)
      goto fail;
    if (found == 1)
      return finish (v, USC_VERDICT_LEGITIMATE, config);
    char *ids = list_string (bounce->message_ids, TRUE);
    /* A message recorded without a Message-ID got one from the MTA that we
     * never saw: its bounce can only be matched by recipient. */
    for (guint i = 0; i < bounce->recipients->len; i++) {
      int rc = usc_record_has_recipient_without_id (record, bounce->recipients->pdata[i],
                                                    w_since, w_until, error);
      if (rc < 0) {
        g_free (ids);
        goto fail;
      }
      if (rc == 1) {
        char *r = clean (bounce->recipients->pdata[i]);
        reason (v, "original Message-ID %s not in the sent record (%" G_GINT64_FORMAT " entries), "
                "but failed recipient %s was mailed by a message recorded without a Message-ID within the window",
                ids, count, r);
        g_free (r);
        g_free (ids);
        return finish (v, USC_VERDICT_LEGITIMATE, config);
      }
    }
    reason (v, "original Message-ID%s %s not in the sent record (%" G_GINT64_FORMAT " entries)",
            bounce->message_ids->len > 1 ? "s" : "", ids, count);
    g_free (ids);
    return finish (v, USC_VERDICT_BACKSCATTER, config);
  }

  /* No Message-ID: the failed recipients. */
  for (guint i = 0; i < bounce->recipients->len; i++) {
    int rc = usc_record_has_recipient (record, bounce->recipients->pdata[i], w_since, w_until, error);
    if (rc < 0)
      goto fail;
    if (rc == 1) {
      char *r = clean (bounce->recipients->pdata[i]);
      char *a = day_string (w_since), *b = day_string (w_until);
      reason (v, "no original Message-ID; failed recipient %s was mailed between %s and %s (%" G_GINT64_FORMAT " entries)",
              r, a, b, count);
      g_free (r);
      g_free (a);
      g_free (b);
      return finish (v, USC_VERDICT_LEGITIMATE, config);
    }
  }
  char *rcpts = list_string (bounce->recipients, FALSE);
  char *a = day_string (w_since), *b = day_string (w_until);
  gboolean responder = bounce->kind == USC_KIND_AUTOREPLY || bounce->kind == USC_KIND_CHALLENGE
                       || bounce->kind == USC_KIND_FEEDBACK_REPORT;
  if (responder) {
    /* An auto-reply, challenge or report comes from whoever answers, which
     * need not be the address mailed (aliases, forwarding, lists): a miss
     * here is no evidence of forgery. */
    reason (v, "no original Message-ID; the %s's address%s %s not mailed between %s and %s (%" G_GINT64_FORMAT " entries), "
            "but a responder need not be the address mailed",
            usc_kind_name (bounce->kind), bounce->recipients->len > 1 ? "es" : "", rcpts, a, b, count);
    finish (v, USC_VERDICT_UNKNOWN, config);
  } else if (since > 0 && w_since < since - DAY) {
    char *s = day_string (since);
    reason (v, "no original Message-ID; failed recipient%s %s not mailed since the record began (%s, %" G_GINT64_FORMAT " entries), "
            "which does not cover the whole window from %s",
            bounce->recipients->len > 1 ? "s" : "", rcpts, s, count, a);
    g_free (s);
    finish (v, USC_VERDICT_UNKNOWN, config);
  } else {
    reason (v, "no original Message-ID; failed recipient%s %s not mailed between %s and %s (%" G_GINT64_FORMAT " entries)",
            bounce->recipients->len > 1 ? "s" : "", rcpts, a, b, count);
    finish (v, USC_VERDICT_BACKSCATTER, config);
  }
  g_free (rcpts);
  g_free (a);
  g_free (b);
  return v;

fail:
  usc_verdict_free (&v);
  return NULL;
}

void
usc_verdict_override (UscVerdict *v, UscVerdictKind kind, const UscConfig *config, const char *why)
{
  if (why)
    reason (v, "%s", why);
  finish (v, kind, config);
}

void
usc_verdict_free (UscVerdict **verdict)
{
  if (verdict == NULL || *verdict == NULL)
    return;
  g_ptr_array_unref ((*verdict)->reasons);
  usc_batv_result_clear (&(*verdict)->batv);
  g_free (*verdict);
  *verdict = NULL;
}

/* Append "Name: value" to @o, folded before a space so that lines stay near
 * 76 columns (a word longer than that stays whole), printable ASCII only. */
static void
append_folded (GString *o, const char *name, const char *value)
{
  GString *v = g_string_new (NULL);
  gboolean space = FALSE;
  for (const guchar *p = (const guchar *) value; *p && v->len < MAX_REASON_HEADER; p++) {
    guchar c = *p;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = v->len > 0;
      continue;
    }
    if (space)
      g_string_append_c (v, ' ');
    space = FALSE;
    g_string_append_c (v, (c < 0x20 || c >= 0x7f) ? '?' : (char) c);
  }
  if (*value && v->len >= MAX_REASON_HEADER)
    g_string_append (v, "...");
  if (v->len == 0)
    g_string_append (v, "none");

  g_string_append_printf (o, "%s:", name);
  gsize col = strlen (name) + 1;
  const char *s = v->str;
  while (*s) {
    const char *sp = strchr (s, ' ');
    gsize wlen = sp ? (gsize) (sp - s) : strlen (s);
    if (col + 1 + wlen > 76 && col > strlen (name) + 1) {
      g_string_append (o, "\n");
      col = 0;
    }
    g_string_append_c (o, ' ');
    g_string_append_len (o, s, wlen);
    col += 1 + wlen;
    s += wlen;
    if (*s == ' ')
      s++;
  }
  g_string_append_c (o, '\n');
  g_string_free (v, TRUE);
}

char *
usc_verdict_header_block (const UscVerdict *verdict, const UscBounce *bounce)
{
  GString *o = g_string_new (NULL);
  char *val = g_strdup_printf ("%s (%s)", usc_verdict_name (verdict->verdict),
                               usc_kind_name (bounce ? bounce->kind : USC_KIND_NOT_BOUNCE));
  append_folded (o, "X-Unscatter-Verdict", val);
  g_free (val);
  GString *r = g_string_new (NULL);
  for (guint i = 0; verdict->reasons && i < verdict->reasons->len; i++)
    g_string_append_printf (r, "%s%s", i ? "; " : "", (const char *) verdict->reasons->pdata[i]);
  append_folded (o, "X-Unscatter-Reason", r->str);
  g_string_free (r, TRUE);
  return g_string_free (o, FALSE);
}
