/* usc-message.c — read a message from a file, fd or pipe; enforce limits;
 * parse it with GMime (RFC 5322, RFC 2045-2049).
 *
 * GMime's fd stream seeks, so it cannot read pipes: we read the whole input
 * into memory ourselves (bounded by max_bytes), keep those raw bytes for
 * filter/deliver, and parse an LF-normalised copy from memory.
 */
#include "config.h"
#include "usc-message.h"

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

/* Copy @raw to LF line endings. */
static char *
normalize_eol (const char *raw, gsize len, gsize *len_r, const char **eol_r)
{
  char *out = g_malloc (len + 1);
  gsize o = 0;
  gboolean saw_crlf = FALSE, saw_cr = FALSE, saw_lf = FALSE;
  for (gsize i = 0; i < len; i++) {
    char c = raw[i];
    if (c == '\r') {
      if (i + 1 < len && raw[i + 1] == '\n') {
        saw_crlf = TRUE;
        i++;
      } else {
        saw_cr = TRUE;
      }
      out[o++] = '\n';
    } else {
      if (c == '\n')
        saw_lf = TRUE;
      out[o++] = c;
    }
  }
  out[o] = '\0';
  *len_r = o;
  if (saw_crlf)
    *eol_r = "\r\n";
  else if (saw_cr && !saw_lf)
    *eol_r = "\r";
  else
    *eol_r = "\n";
  return out;
}

/* Offset just after the header block of @s (the blank line's start), or @len. */
static gsize
header_end (const char *s, gsize len, guint *n_fields_r)
{
  guint n = 0;
  gsize i = 0;
  while (i < len) {
    const char *nl = memchr (s + i, '\n', len - i);
    gsize line_end = nl ? (gsize) (nl - s) : len;
    gsize line_len = line_end - i;
    if (line_len == 0 || (line_len == 1 && s[i] == '\r'))
      break;
    if (s[i] != ' ' && s[i] != '\t')
      n++;
    i = nl ? line_end + 1 : len;
  }
  if (n_fields_r)
    *n_fields_r = n;
  return i;
}

static UscMessage *
message_from_bytes (GBytes *raw, const UscLimits *limits, GError **error)
{
  UscMessage *msg = g_new0 (UscMessage, 1);
  if (limits)
    msg->limits = *limits;
  else
    usc_limits_init (&msg->limits);
  msg->deadline = usc_now_monotonic () + (gint64) (msg->limits.max_seconds * G_USEC_PER_SEC);
  msg->raw = raw;

  gsize rlen = 0;
  const char *rdata = g_bytes_get_data (raw, &rlen);
  if (rlen == 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "empty message");
    usc_message_free (&msg);
    return NULL;
  }

  gsize skip = 0;
  if (rlen >= 5 && memcmp (rdata, "From ", 5) == 0) {
    const char *nl = memchr (rdata, '\n', rlen);
    const char *cr = memchr (rdata, '\r', nl ? (gsize) (nl - rdata) : rlen);
    const char *end = cr ? cr : nl ? nl : rdata + rlen;
    char *line = g_strndup (rdata + 5, end - (rdata + 5));
    char *sp = strchr (line, ' ');
    if (sp)
      *sp = '\0';
    if (line[0] != '\0' && strcmp (line, "MAILER-DAEMON") != 0)
      msg->mbox_sender = g_strdup (line);
    else if (line[0] != '\0')
      msg->mbox_sender = g_strdup ("");
    g_free (line);
    msg->had_mbox_from = TRUE;
    skip = nl ? (gsize) (nl - rdata) + 1 : rlen;
  }

  guint n_fields = 0;
  gsize rh = header_end (rdata + skip, rlen - skip, &n_fields);
  msg->raw_header_end = skip + rh;
  /* raw_header_end points at the blank line; step back over nothing: headers
   * are inserted before the blank line, i.e. after the last header line. */
  if (rh > msg->limits.max_header_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "header block of %" G_GSIZE_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT,
                 rh, msg->limits.max_header_bytes);
    usc_message_free (&msg);
    return NULL;
  }
  if (n_fields > msg->limits.max_headers) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "%u header fields exceed the limit of %u", n_fields, msg->limits.max_headers);
    usc_message_free (&msg);
    return NULL;
  }

  msg->text = normalize_eol (rdata + skip, rlen - skip, &msg->text_len, &msg->raw_eol);

  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (msg->text, msg->text_len);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  msg->mime = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);
  if (msg->mime == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "not a mail message");
    usc_message_free (&msg);
    return NULL;
  }
  return msg;
}

UscMessage *
usc_message_new_from_data (const void *data, gsize len, const UscLimits *limits, GError **error)
{
  UscLimits l;
  if (limits == NULL) {
    usc_limits_init (&l);
    limits = &l;
  }
  if (len > limits->max_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "message of %" G_GSIZE_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT,
                 len, limits->max_bytes);
    return NULL;
  }
  return message_from_bytes (g_bytes_new (data, len), limits, error);
}

UscMessage *
usc_message_read_fd (int fd, const UscLimits *limits, GError **error)
{
  UscLimits l;
  if (limits == NULL) {
    usc_limits_init (&l);
    limits = &l;
  }
  GByteArray *buf = g_byte_array_sized_new (64 * 1024);
  for (;;) {
    if (buf->len > limits->max_bytes) {
      g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                   "message exceeds the size limit of %" G_GSIZE_FORMAT " bytes", limits->max_bytes);
      g_byte_array_unref (buf);
      return NULL;
    }
    guint old = buf->len;
    g_byte_array_set_size (buf, old + 65536);
    ssize_t n = read (fd, buf->data + old, 65536);
    if (n < 0) {
      int e = errno;
      g_byte_array_set_size (buf, old);
      if (e == EINTR)
        continue;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "read: %s", g_strerror (e));
      g_byte_array_unref (buf);
      return NULL;
    }
    g_byte_array_set_size (buf, old + n);
    if (n == 0)
      break;
  }
  if (buf->len > limits->max_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "message exceeds the size limit of %" G_GSIZE_FORMAT " bytes", limits->max_bytes);
    g_byte_array_unref (buf);
    return NULL;
  }
  return message_from_bytes (g_byte_array_free_to_bytes (buf), limits, error);
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
  g_free (m->text);
  g_free (m->mbox_sender);
  g_free (m);
  *msg = NULL;
}

gboolean
usc_message_expired (const UscMessage *msg)
{
  return usc_now_monotonic () > msg->deadline;
}

GMimeMessage *
usc_mime_parse_embedded (const void *data, gsize len)
{
  gsize nlen;
  const char *eol;
  char *text = normalize_eol (data, len, &nlen, &eol);
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, nlen);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *m = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);
  g_free (text);
  return m;
}

GByteArray *
usc_mime_part_content (GMimeObject *part, gsize max)
{
  if (!GMIME_IS_PART (part))
    return NULL;
  GMimeDataWrapper *w = g_mime_part_get_content (GMIME_PART (part));
  if (w == NULL)
    return NULL;
  GByteArray *ba = g_byte_array_new ();
  GMimeStream *out = g_mime_stream_mem_new_with_byte_array (ba);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (out), FALSE);
  g_mime_data_wrapper_write_to_stream (w, out);
  g_object_unref (out);
  if (max && ba->len > max)
    g_byte_array_set_size (ba, max);
  guint8 nul = 0;
  g_byte_array_append (ba, &nul, 1);
  g_byte_array_set_size (ba, ba->len - 1);
  return ba;
}

char *
usc_mime_part_text (GMimeObject *part, gsize max)
{
  GByteArray *ba = usc_mime_part_content (part, max);
  if (ba == NULL)
    return NULL;
  const char *charset = NULL;
  GMimeContentType *ct = g_mime_object_get_content_type (part);
  if (ct)
    charset = g_mime_content_type_get_parameter (ct, "charset");
  char *out = NULL;
  if (charset && g_ascii_strcasecmp (charset, "utf-8") != 0 && g_ascii_strcasecmp (charset, "us-ascii") != 0) {
    out = g_convert_with_fallback ((const char *) ba->data, ba->len, "UTF-8",
                                   g_mime_charset_iconv_name (charset), "?", NULL, NULL, NULL);
  }
  if (out == NULL)
    out = g_utf8_make_valid ((const char *) ba->data, ba->len);
  g_byte_array_unref (ba);
  return out;
}
