/* usc-message.c — a message read from a file, fd or pipe (RFC 5322 message
 * format, RFC 4155 mbox "From " lines): its limits checked, its raw bytes
 * kept, its text parsed with GMime.
 *
 * The whole input is read into memory (usc-read.c) and the raw bytes kept
 * exactly for filter/deliver; the text GMime parses is LF (usc-eol.c), after
 * the mbox From line (usc-mbox.c), made safe by the pre-scan (usc-prescan.c)
 * and parsed by usc-mime-parse.c. Part contents: usc-mime-content.c.
 *
 * Memory: LF input is parsed where it lies, in the raw bytes read (GMime's
 * stream is a view of them, its parts substreams of it): one copy of the
 * message in memory. So is CRLF input read by usc_message_new_in_place()
 * (filter, deliver, unscatter-sieve) or usc_message_read_fd() (check): when
 * every line ends in CRLF, the CRs are taken out in the same buffer, which
 * is parsed as LF input, and put back (usc_message_raw_bytes) before the
 * bytes are written out. Other CR line endings (CR-only, a mix) need one
 * normalised copy more.
 */
#include "config.h"
#include "usc-message.h"
#include "usc-eol.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

void
usc_limits_init (UscLimits *limits)
{
  limits->max_bytes = 64 * 1024 * 1024;
  limits->max_header_bytes = 4 * 1024 * 1024;
  limits->max_headers = 20000;
  limits->max_depth = 40;
  limits->max_parts = 5000;
  limits->max_seconds = 10.0;
}

/* The top header block of raw @s: returns the offset just after its last
 * line (where the blank line starts, or @len when there is none); counts the
 * fields (lines not starting with white space) and finds the first line
 * ending. */
static gsize
raw_header_end (const char *s, gsize len, guint *n_fields_r, const char **eol_r)
{
  guint n = 0;
  gsize i = 0;
  const char *eol = NULL;
  while (i < len) {
    gsize el;
    gsize e = usc_eol_line_end (s, i, len, &el);
    if (eol == NULL && el)
      eol = el == 2 ? "\r\n" : s[e] == '\r' ? "\r" : "\n";
    if (e == i && el)
      break; /* the blank line */
    if (s[i] != ' ' && s[i] != '\t')
      n++;
    i = e + el;
  }
  if (eol == NULL) {
    /* headers only, on one line or none: take the body's line ending, if any */
    gsize el;
    gsize e = usc_eol_line_end (s, i, len, &el);
    eol = el == 2 ? "\r\n" : el && s[e] == '\r' ? "\r" : "\n";
  }
  *n_fields_r = n;
  *eol_r = eol;
  return i;
}

/* A message that could not be made: for one parsed in place, the buffer is
 * turned back to what was read and left to the caller (usc_message_new_in_place). */
static UscMessage *
message_fail (UscMessage *msg)
{
  if (msg->in_place != NULL) {
    if (msg->text_bytes != NULL)
      usc_eol_lf_to_crlf (msg->in_place, g_bytes_get_size (msg->text_bytes), msg->in_place_len);
    msg->in_place = NULL;
  }
  usc_message_free (&msg);
  return NULL;
}

/* The message read as @raw (a reference is taken) or, when @raw is NULL, as
 * the @own_len bytes at @own, all of whose line endings are CRLF (usc_eol_all_crlf):
 * the message owns that buffer and turns it to LF in place to parse it. On
 * failure @own is the caller's again, as it was. */
static UscMessage *
message_new (GBytes *raw, char *own, gsize own_len, const UscLimits *limits, GError **error)
{
  UscMessage *msg = g_new0 (UscMessage, 1);
  UscLimits defaults;
  usc_limits_init (&defaults);
  msg->limits = limits ? *limits : defaults;
  /* a zero (unset) limit means the default, never "reject everything" */
  if (msg->limits.max_bytes == 0)
    msg->limits.max_bytes = defaults.max_bytes;
  if (msg->limits.max_header_bytes == 0)
    msg->limits.max_header_bytes = defaults.max_header_bytes;
  if (msg->limits.max_headers == 0)
    msg->limits.max_headers = defaults.max_headers;
  if (msg->limits.max_depth == 0)
    msg->limits.max_depth = defaults.max_depth;
  if (msg->limits.max_parts == 0)
    msg->limits.max_parts = defaults.max_parts;
  if (msg->limits.max_seconds <= 0)
    msg->limits.max_seconds = defaults.max_seconds;
  msg->deadline = usc_now_monotonic () + (gint64) (msg->limits.max_seconds * G_USEC_PER_SEC);
  gsize rlen = own_len;
  const char *rdata = own;
  if (raw != NULL) {
    msg->raw = g_bytes_ref (raw);
    rdata = g_bytes_get_data (raw, &rlen);
  } else {
    msg->in_place = own;
    msg->in_place_len = own_len;
  }
  if (rlen > msg->limits.max_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "message of %" G_GSIZE_FORMAT " bytes exceeds the size limit of %" G_GSIZE_FORMAT " bytes",
                 rlen, msg->limits.max_bytes);
    return message_fail (msg);
  }
  if (rlen == 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "empty message");
    return message_fail (msg);
  }

  gsize skip = usc_mbox_from_end (rdata, rlen);
  if (skip > 0) {
    gsize el;
    gsize e = usc_eol_line_end (rdata, 0, rlen, &el);
    msg->mbox_sender = usc_mbox_from_address (rdata, e);
    msg->had_mbox_from = TRUE;
  }

  guint n_fields = 0;
  gsize rh = raw_header_end (rdata + skip, rlen - skip, &n_fields, &msg->raw_eol);
  msg->raw_header_end = skip + rh;
  if (rh > msg->limits.max_header_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "header block of %" G_GSIZE_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT " bytes",
                 rh, msg->limits.max_header_bytes);
    return message_fail (msg);
  }
  if (n_fields > msg->limits.max_headers) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "%u header fields exceed the limit of %u", n_fields, msg->limits.max_headers);
    return message_fail (msg);
  }

  /* twice the per-parse limits for the whole message: the top-level parse
   * (bounded by them alone) always leaves at least as much to the re-parses */
  msg->budget = usc_budget_new (rlen, MIN (msg->limits.max_header_bytes, G_MAXSIZE / 2) * 2,
                                MIN (msg->limits.max_headers, G_MAXUINT / 2) * 2,
                                MIN (msg->limits.max_parts, G_MAXUINT / 2) * 2,
                                msg->limits.max_seconds);
  msg->budget->deadline = msg->deadline;
  /* LF input (nearly all mail delivered on Unix) is parsed where it lies,
   * in the raw bytes: no copy. Only CR (CRLF, CR-only) needs one. */
  GBytes *backing = msg->raw;
  if (own != NULL) {
    /* CRLF throughout: turned to LF where it lies (usc_message_raw_bytes()
     * turns it back), parsed there, as LF input is */
    gsize n = usc_eol_crlf_to_lf (own, own_len);
    msg->text_bytes = backing = g_bytes_new_static (own, n);
    gsize lskip = usc_mbox_from_end (own, n);
    msg->text = own + lskip;
    msg->text_len = n - lskip;
  } else if (memchr (rdata + skip, '\r', rlen - skip) == NULL) {
    msg->text = rdata + skip;
    msg->text_len = rlen - skip;
  } else {
    gsize tlen;
    char *t = usc_eol_normalize (rdata + skip, rlen - skip, &tlen);
    msg->text_bytes = backing = g_bytes_new_take (t, tlen);
    msg->text = t;
    msg->text_len = tlen;
  }
  usc_budget_take_bytes (msg->budget, msg->text_len);
  msg->mime = usc_mime_parse_text (msg->text, msg->text_len, backing, &msg->limits, TRUE, msg->budget, FALSE,
                                   &msg->parse_limited);
  if (msg->mime == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "not a mail message");
    return message_fail (msg);
  }
  return msg;
}

UscMessage *
usc_message_new_from_bytes (GBytes *raw, const UscLimits *limits, GError **error)
{
  return message_new (raw, NULL, 0, limits, error);
}

UscMessage *
usc_message_new_in_place (GBytes **raw, const UscLimits *limits, GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (*raw, &len);
  UscMessage *msg;
  if (len == 0 || !usc_eol_all_crlf (data, len)) {
    msg = message_new (*raw, NULL, 0, limits, error);
    if (msg != NULL)
      g_clear_pointer (raw, g_bytes_unref);
    return msg;
  }
  /* no copy when the caller's reference was the only one */
  char *buf = g_bytes_unref_to_data (g_steal_pointer (raw), &len);
  msg = message_new (NULL, buf, len, limits, error);
  if (msg == NULL)
    *raw = g_bytes_new_take (buf, len);
  return msg;
}

GBytes *
usc_message_raw_bytes (UscMessage *msg)
{
  if (msg->raw == NULL && msg->in_place != NULL) {
    usc_eol_lf_to_crlf (msg->in_place, g_bytes_get_size (msg->text_bytes), msg->in_place_len);
    msg->raw = g_bytes_new_take (g_steal_pointer (&msg->in_place), msg->in_place_len);
    msg->text = NULL;
    msg->text_len = 0;
  }
  return g_bytes_ref (msg->raw);
}

UscMessage *
usc_message_new_from_data (const void *data, gsize len, const UscLimits *limits, GError **error)
{
  UscLimits l;
  if (limits == NULL) {
    usc_limits_init (&l);
    limits = &l;
  }
  if (limits->max_bytes && len > limits->max_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "message of %" G_GSIZE_FORMAT " bytes exceeds the size limit of %" G_GSIZE_FORMAT " bytes",
                 len, limits->max_bytes);
    return NULL;
  }
  GBytes *raw = g_bytes_new (data, len);
  UscMessage *msg = usc_message_new_from_bytes (raw, limits, error);
  g_bytes_unref (raw);
  return msg;
}

UscMessage *
usc_message_read_fd (int fd, const UscLimits *limits, GError **error)
{
  UscLimits l;
  if (limits == NULL) {
    usc_limits_init (&l);
    limits = &l;
  }
  GBytes *raw = usc_read_all (fd, limits->max_bytes, error);
  if (raw == NULL)
    return NULL;
  UscMessage *msg = usc_message_new_in_place (&raw, limits, error);
  if (raw != NULL)
    g_bytes_unref (raw);
  return msg;
}

UscMessage *
usc_message_read_path (const char *path, const UscLimits *limits, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s: %s", path, g_strerror (e));
    return NULL;
  }
  UscMessage *msg = usc_message_read_fd (fd, limits, error);
  close (fd);
  if (msg == NULL && error && *error)
    g_prefix_error (error, "%s: ", path);
  return msg;
}

void
usc_message_free (UscMessage **msg)
{
  if (msg == NULL || *msg == NULL)
    return;
  UscMessage *m = *msg;
  if (m->mime)
    g_object_unref (m->mime);
  if (m->raw)
    g_bytes_unref (m->raw);
  if (m->text_bytes)
    g_bytes_unref (m->text_bytes);
  g_free (m->in_place);
  g_free (m->mbox_sender);
  usc_budget_free (&m->budget);
  g_free (m);
  *msg = NULL;
}

gboolean
usc_message_expired (const UscMessage *msg)
{
  return usc_now_monotonic () > msg->deadline || usc_budget_expired (msg->budget);
}

GBytes *
usc_message_with_headers (const UscMessage *msg, const char *fields)
{
  gsize rlen;
  const char *raw;
  char *crlf = NULL;
  if (msg->raw == NULL) {
    /* parsed in place from CRLF input: the bytes read, in a copy */
    gsize n = g_bytes_get_size (msg->text_bytes);
    crlf = g_malloc (msg->in_place_len);
    memcpy (crlf, msg->in_place, n);
    usc_eol_lf_to_crlf (crlf, n, msg->in_place_len);
    raw = crlf;
    rlen = msg->in_place_len;
  } else
    raw = g_bytes_get_data (msg->raw, &rlen);
  gsize at = MIN (msg->raw_header_end, rlen);
  GString *out = g_string_sized_new (rlen + (fields ? strlen (fields) * 2 : 0) + 4);
  g_string_append_len (out, raw, at);
  if (fields && *fields) {
    /* a header block ending without a line ending (no body, no final newline) */
    if (at > 0 && raw[at - 1] != '\n' && raw[at - 1] != '\r')
      g_string_append (out, msg->raw_eol);
    for (const char *p = fields; *p;) {
      const char *nl = strchr (p, '\n');
      gsize l = nl ? (gsize) (nl - p) : strlen (p);
      if (l && p[l - 1] == '\r')
        l--;
      if (l) {
        g_string_append_len (out, p, l);
        g_string_append (out, msg->raw_eol);
      }
      p = nl ? nl + 1 : p + strlen (p);
    }
  }
  g_string_append_len (out, raw + at, rlen - at);
  g_free (crlf);
  gsize len = out->len;
  return g_bytes_new_take (g_string_free (out, FALSE), len);
}
