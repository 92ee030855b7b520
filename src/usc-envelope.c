/* usc-envelope.c — the delivery's envelope: the (possibly BATV-tagged)
 * address the bounce was delivered to, and its envelope sender.
 *
 * The SMTP envelope (RFC 5321 RCPT TO / MAIL FROM) is not part of the message;
 * each delivery path hands it over differently. First match wins:
 *
 * Recipient
 *   1. --recipient (the caller knows best: e.g. Dovecot Sieve passing
 *      ${envelope.to}, or procmail "-a $1" argument relaying).
 *   2. Environment:
 *      ORIGINAL_RECIPIENT  Postfix local(8) and pipe(8): the recipient as
 *                          it came in, before alias/virtual rewriting — the
 *                          tag survives here;
 *      ORIG_RECIPIENT      Dovecot Pigeonhole extprograms (vnd.dovecot.pipe/
 *                          filter/execute) for the original recipient;
 *      RECIPIENT           Postfix local(8) (final recipient, after
 *                          aliasing), Pigeonhole extprograms, Exim's pipe
 *                          transport (the complete address, also split into
 *                          LOCAL_PART / DOMAIN), qmail-local, courier-maildrop
 *                          deliveries started by courier.
 *      procmail and maildrop set none of these themselves but pass on the
 *      environment of whoever ran them (Postfix's local(8) via
 *      mailbox_command, Exim's pipe transport), so the MTA's variables reach
 *      us through them. An empty variable counts as unset.
 *   3. Header fields the delivering MTA adds on top of the message
 *      (the topmost occurrence of each — anything lower down may have been
 *      written by whoever sent the message):
 *      X-Original-To       Postfix local(8)/virtual(8): the original recipient;
 *      Envelope-To         Exim's envelope_to_add (the original address(es)
 *                          of this delivery, comma-separated: a tagged one is
 *                          preferred, else the first);
 *      Delivered-To        Postfix (final recipient), Dovecot LMTP/LDA
 *                          (lmtp_hdr_delivery_address, "final" by default),
 *                          qmail;
 *      Received "for <a>"  the topmost Received field with a "for" clause
 *                          outside comments (RFC 5321 4.4 "for" clause;
 *                          Dovecot LMTP, Postfix, Exim, Sendmail add one when
 *                          the message had a single recipient).
 *
 * Sender
 *   1. --sender; 2. SENDER in the environment (Postfix local(8)/pipe(8),
 *   Exim pipe, Pigeonhole; here an empty value means the null sender <>);
 *   3. the topmost Return-Path (RFC 5321 4.4); 4. the mbox "From " line
 *   (MAILER-DAEMON there means the null sender).
 *   "<>" anywhere means the null sender and is returned as "".
 *
 * Everything is untrusted text, the environment included (it is the MTA's,
 * but it carries the SMTP envelope): addresses are taken only when they are a
 * single token of valid UTF-8, without blanks or control characters, of at
 * most USC_ADDRESS_MAX bytes; anything else is ignored as if unset.
 */
#include "config.h"
#include "usc-envelope.h"
#include "usc-batv.h"
#include "usc-header.h"

#include <string.h>

static const struct {
  const char *var;
  const char *source;
} recipient_env[] = {
  { "ORIGINAL_RECIPIENT", "env:ORIGINAL_RECIPIENT" },
  { "ORIG_RECIPIENT",     "env:ORIG_RECIPIENT" },
  { "RECIPIENT",          "env:RECIPIENT" },
};

/* Recipient header fields, in order of preference (the Received "for" clause
 * comes after them and is parsed separately). */
static const struct {
  const char *name;
  gboolean    list;   /* may hold several comma-separated addresses */
} recipient_headers[] = {
  { "X-Original-To", FALSE },
  { "Envelope-To",   TRUE },
  { "Delivered-To",  FALSE },
};

/* One address from @s..@e: "<a@b>", "a@b", "Name <a@b>", blanks around.
 * Returns a newly allocated address, "" for "<>" when @allow_null, or NULL
 * when there is nothing usable. */
static char *
clean_address (const char *s, const char *e, gboolean allow_null)
{
  if (e == NULL)
    e = s + strlen (s);
  const char *lt = memchr (s, '<', e - s);
  if (lt) {
    const char *gt = memchr (lt, '>', e - lt);
    if (gt == NULL)
      return NULL;
    s = lt + 1;
    e = gt;
  }
  /* blanks around are dropped; a CR or LF anywhere makes it no address */
  while (s < e && (*s == ' ' || *s == '\t'))
    s++;
  while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
    e--;
  if (s == e)
    return allow_null && lt ? g_strdup ("") : NULL;
  if (e - s > USC_ADDRESS_MAX || !g_utf8_validate (s, e - s, NULL))
    return NULL;
  for (const char *p = s; p < e; p++)
    if ((guchar) *p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',')
      return NULL;
  return g_strndup (s, e - s);
}

/* The address of a comma-separated list value: the first BATV-tagged one,
 * else the first usable one. */
static char *
address_from_list (const char *value)
{
  char *first = NULL;
  const char *p = value;
  while (p && *p) {
    const char *comma = strchr (p, ',');
    const char *end = comma ? comma : p + strlen (p);
    char *a = clean_address (p, end, FALSE);
    if (a && usc_batv_is_tagged (a)) {
      g_free (first);
      return a;
    }
    if (a && first == NULL)
      first = a;
    else
      g_free (a);
    p = comma ? comma + 1 : NULL;
  }
  return first;
}

/* The address of the "for" clause of a Received field value, or NULL. */
static char *
received_for (const char *v)
{
  int depth = 0;
  for (const char *p = v; *p && *p != ';'; p++) {
    if (*p == '(') {
      depth++;
      continue;
    }
    if (*p == ')') {
      if (depth > 0)
        depth--;
      continue;
    }
    if (*p == '\\' && depth > 0 && p[1]) {
      p++;
      continue;
    }
    if (depth == 0 && (p == v || g_ascii_isspace (p[-1]))
        && g_ascii_strncasecmp (p, "for", 3) == 0 && g_ascii_isspace (p[3])) {
      const char *q = p + 3;
      while (g_ascii_isspace (*q))
        q++;
      const char *e;
      if (*q == '<') {
        e = strchr (q, '>');
        if (e == NULL)
          return NULL;
        e++;
      } else {
        e = q;
        while (*e && !g_ascii_isspace (*e) && *e != ';' && *e != ',' && *e != '(')
          e++;
      }
      char *a = clean_address (q, e, FALSE);
      if (a && strchr (a, '@') == NULL)
        g_clear_pointer (&a, g_free);
      return a;
    }
  }
  return NULL;
}

/* The value of the topmost field @name, or NULL (not owned). */
static const char *
top_header (GMimeHeaderList *list, const char *name)
{
  int n = list ? g_mime_header_list_get_count (list) : 0;
  for (int i = 0; i < n; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at (list, i);
    if (g_ascii_strcasecmp (g_mime_header_get_name (h), name) == 0)
      return usc_header_value (h);
  }
  return NULL;
}

static void
find_recipient (UscEnvelope *env, GMimeHeaderList *list, const char *opt)
{
  if (opt && (env->recipient = clean_address (opt, NULL, FALSE)) != NULL) {
    env->recipient_source = "option";
    return;
  }
  for (gsize i = 0; i < G_N_ELEMENTS (recipient_env); i++) {
    const char *v = g_getenv (recipient_env[i].var);
    if (v && (env->recipient = clean_address (v, NULL, FALSE)) != NULL) {
      env->recipient_source = recipient_env[i].source;
      return;
    }
  }
  for (gsize i = 0; i < G_N_ELEMENTS (recipient_headers); i++) {
    const char *v = top_header (list, recipient_headers[i].name);
    if (v == NULL)
      continue;
    env->recipient = recipient_headers[i].list ? address_from_list (v) : clean_address (v, NULL, FALSE);
    if (env->recipient) {
      env->recipient_source = recipient_headers[i].name;
      return;
    }
  }
  int n = list ? g_mime_header_list_get_count (list) : 0;
  for (int i = 0; i < n; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at (list, i);
    if (g_ascii_strcasecmp (g_mime_header_get_name (h), "Received") != 0)
      continue;
    const char *v = usc_header_value (h);
    if (v && (env->recipient = received_for (v)) != NULL) {
      env->recipient_source = "Received";
      return;
    }
  }
}

static void
find_sender (UscEnvelope *env, GMimeHeaderList *list, const UscMessage *msg, const char *opt)
{
  if (opt) {
    if (*opt == '\0')
      env->sender = g_strdup ("");
    else
      env->sender = clean_address (opt, NULL, TRUE);
    if (env->sender) {
      env->sender_source = "option";
      return;
    }
  }
  const char *v = g_getenv ("SENDER");
  if (v) {
    env->sender = *v == '\0' ? g_strdup ("") : clean_address (v, NULL, TRUE);
    if (env->sender) {
      env->sender_source = "env:SENDER";
      return;
    }
  }
  v = top_header (list, "Return-Path");
  if (v && (env->sender = clean_address (v, NULL, TRUE)) != NULL) {
    env->sender_source = "Return-Path";
    return;
  }
  if (msg && msg->mbox_sender) {
    env->sender = *msg->mbox_sender ? clean_address (msg->mbox_sender, NULL, TRUE) : g_strdup ("");
    if (env->sender)
      env->sender_source = "mbox From";
  }
}

void
usc_envelope_find (UscEnvelope *env, const UscMessage *msg, const char *opt_recipient,
                   const char *opt_sender)
{
  memset (env, 0, sizeof *env);
  GMimeHeaderList *list = NULL;
  if (msg && msg->mime)
    list = g_mime_object_get_header_list (GMIME_OBJECT (msg->mime));
  find_recipient (env, list, opt_recipient);
  find_sender (env, list, msg, opt_sender);
}

void
usc_envelope_clear (UscEnvelope *env)
{
  if (env == NULL)
    return;
  g_clear_pointer (&env->recipient, g_free);
  g_clear_pointer (&env->sender, g_free);
  env->recipient_source = NULL;
  env->sender_source = NULL;
}
