/* usc-mime-content.c — the content of a leaf part: its transfer encoding
 * undone (base64, quoted-printable, uuencode; RFC 2045 section 6), and for
 * a text part its charset converted to UTF-8 (RFC 2046 section 4.1.2),
 * what cannot be converted replaced.
 */
#include "config.h"
#include "usc-mime-content.h"

#include <errno.h>
#include <string.h>

/* @ba with a NUL after its bytes (not counted in its length). */
static GByteArray *
nul_terminated (GByteArray *ba)
{
  guint8 nul = 0;
  g_byte_array_append (ba, &nul, 1);
  g_byte_array_set_size (ba, ba->len - 1);
  return ba;
}

/* @n bytes at @in decoded from base64 or quoted-printable (@enc) with
 * GMime's own decoder (g_mime_encoding_step / _flush: what its basic
 * filter runs a stream through), 8 KB at a time, stopping once @max bytes
 * (0: no limit) are out, as the read of a filtered stream does; without a
 * substream, a filter stream and their objects. */
static GByteArray *
decode_in_memory (const guint8 *in, gsize n, GMimeContentEncoding enc, gsize max)
{
  GMimeEncoding st;
  g_mime_encoding_init_decode (&st, enc);
  GByteArray *ba = g_byte_array_sized_new ((guint) MIN (n, max ? max : n) + 16);
  gsize p = 0;
  while (p < n && !(max && ba->len >= max)) {
    gsize k = MIN (n - p, 8192), old = ba->len;
    g_byte_array_set_size (ba, (guint) (old + g_mime_encoding_outlen (&st, k)));
    gsize w = g_mime_encoding_step (&st, (const char *) in + p, k, (char *) ba->data + old);
    g_byte_array_set_size (ba, (guint) (old + w));
    p += k;
  }
  if (!(max && ba->len >= max)) {
    gsize old = ba->len;
    g_byte_array_set_size (ba, (guint) (old + g_mime_encoding_outlen (&st, 0)));
    gsize w = g_mime_encoding_flush (&st, NULL, 0, (char *) ba->data + old);
    g_byte_array_set_size (ba, (guint) (old + w));
  }
  if (max && ba->len > max)
    g_byte_array_set_size (ba, (guint) max);
  return nul_terminated (ba);
}

gboolean
usc_utf8_valid (const char *data, gsize len)
{
  const guint64 ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  gsize i = 0;
  for (; i + 8 <= len; i += 8) {
    guint64 v;
    memcpy (&v, data + i, 8);
    /* a byte beyond ASCII, or a NUL byte (v - ones sets its high bit) */
    if ((v | ((v - ones) & ~v)) & highs)
      break;
  }
  /* the rest (from a byte after the ASCII run) is GLib's to judge */
  return i == len || g_utf8_validate (data + i, (gssize) (len - i), NULL);
}

GByteArray *
usc_mime_part_content (GMimeObject *part, gsize max)
{
  if (part == NULL || !GMIME_IS_PART (part))
    return NULL;
  GMimeDataWrapper *w = g_mime_part_get_content (GMIME_PART (part));
  if (w == NULL)
    return NULL;
  GMimeStream *src = g_mime_data_wrapper_get_stream (w);
  if (src == NULL)
    return NULL;
  GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding (w);
  gboolean step = enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
  if (GMIME_IS_STREAM_MEM (src) && (step || enc != GMIME_CONTENT_ENCODING_UUENCODE)) {
    /* the bytes in memory (a GMime parse of ours, in place): copied once,
     * or decoded where they lie, the bytes a read of the stream (through
     * GMime's basic filter) would give */
    GByteArray *arr = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (src));
    if (arr != NULL) {
      gint64 end = src->bound_end < 0 ? (gint64) arr->len : MIN (src->bound_end, (gint64) arr->len);
      gint64 start = CLAMP (src->bound_start, 0, end);
      gsize n = (gsize) (end - start);
      if (step)
        return decode_in_memory (arr->data + start, n, enc, max);
      if (max && n > max)
        n = max;
      GByteArray *ba = g_byte_array_sized_new ((guint) n + 1);
      g_byte_array_append (ba, arr->data + start, (guint) n);
      return nul_terminated (ba);
    }
  }
  /* our own view of the stream: the wrapper's position is left alone */
  GMimeStream *sub = g_mime_stream_substream (src, src->bound_start, src->bound_end);
  GMimeStream *filtered = g_mime_stream_filter_new (sub);
  switch (enc) {
  case GMIME_CONTENT_ENCODING_BASE64:
  case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
  case GMIME_CONTENT_ENCODING_UUENCODE: {
    GMimeFilter *f = g_mime_filter_basic_new (enc, FALSE);
    g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), f);
    g_object_unref (f);
    break;
  }
  default:
    break;
  }
  GByteArray *ba = g_byte_array_new ();
  char buf[8192];
  for (;;) {
    gsize want = sizeof buf;
    if (max && ba->len >= max)
      break;
    ssize_t n = g_mime_stream_read (filtered, buf, want);
    if (n <= 0)
      break;
    g_byte_array_append (ba, (const guint8 *) buf, (guint) n);
  }
  g_object_unref (filtered);
  g_object_unref (sub);
  if (max && ba->len > max)
    g_byte_array_set_size (ba, (guint) max);
  return nul_terminated (ba);
}

/* Convert @len bytes from @charset (an iconv name) to UTF-8, replacing what
 * cannot be converted with U+FFFD. NULL when iconv does not know @charset. */
static char *
convert_lossy (const char *data, gsize len, const char *charset)
{
  GIConv cd = g_iconv_open ("UTF-8", charset);
  if (cd == (GIConv) -1)
    return NULL;
  GString *out = g_string_sized_new (len + len / 2 + 8);
  char *in = (char *) data;
  gsize inleft = len;
  char buf[4096];
  while (inleft > 0) {
    char *o = buf;
    gsize oleft = sizeof buf;
    gsize r = g_iconv (cd, &in, &inleft, &o, &oleft);
    g_string_append_len (out, buf, o - buf);
    if (r == (gsize) -1) {
      if (errno == E2BIG)
        continue;
      /* EILSEQ or EINVAL (truncated sequence at the end): skip a byte */
      g_string_append (out, "\xef\xbf\xbd");
      in++;
      inleft--;
      g_iconv (cd, NULL, NULL, NULL, NULL);
    }
  }
  char *o = buf;
  gsize oleft = sizeof buf;
  g_iconv (cd, NULL, NULL, &o, &oleft);
  g_string_append_len (out, buf, o - buf);
  g_iconv_close (cd);
  char *res = g_utf8_make_valid (out->str, out->len); /* drops any NUL issues too */
  g_string_free (out, TRUE);
  return res;
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
  const char *data = (const char *) ba->data;
  char *out = NULL;
  gboolean utf8ish = charset == NULL || g_ascii_strcasecmp (charset, "utf-8") == 0
                     || g_ascii_strcasecmp (charset, "utf8") == 0
                     || g_ascii_strcasecmp (charset, "us-ascii") == 0;
  if (utf8ish && usc_utf8_valid (data, ba->len))
    out = g_strndup (data, ba->len);
  else if (!utf8ish)
    out = convert_lossy (data, ba->len, g_mime_charset_iconv_name (charset));
  if (out == NULL && !usc_utf8_valid (data, ba->len))
    out = convert_lossy (data, ba->len, "WINDOWS-1252"); /* the usual mislabelled 8-bit text */
  if (out == NULL)
    out = g_utf8_make_valid (data, ba->len);
  g_byte_array_unref (ba);
  return out;
}
