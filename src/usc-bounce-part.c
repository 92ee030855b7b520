/* usc-bounce-part.c — reading one MIME part for the bounce analysis: its
 * text in UTF-8, a message in it (a returned original: a header block, an
 * attached .eml, an encoded message/rfc822), what libmagic says it is.
 */
#include "config.h"
#include "usc-bounce-private.h"
#include "usc-lang.h"

/* usc_utf8_valid (@data, @len), found once: *@memo is -1 until then. */
static gboolean
utf8_once (int *memo, const char *data, gsize len)
{
  if (*memo < 0)
    *memo = usc_utf8_valid (data, len);
  return *memo;
}

/* Decoded text of a leaf part in UTF-8; NUL bytes (QP "=00", broken
 * encoders) become spaces so that nothing after them is lost. */
char *
usc_part_text (GMimeObject *part, gsize max)
{
  GByteArray *ba = usc_mime_part_content (part, max);
  if (ba == NULL)
    return NULL;
  guint8 *end = ba->data + ba->len;
  for (guint8 *z = ba->len ? memchr (ba->data, 0, ba->len) : NULL; z != NULL; z = memchr (z + 1, 0, (gsize) (end - z - 1)))
    *z = ' ';
  const char *charset = g_mime_object_get_content_type_parameter (part, "charset");
  const char *data = (const char *) ba->data;
  /* whether the bytes are valid UTF-8: asked once, when first needed */
  int utf8 = -1;
  char *out = NULL;
  if (charset && g_ascii_strcasecmp (charset, "utf-8") != 0 && g_ascii_strcasecmp (charset, "us-ascii") != 0 &&
      !utf8_once (&utf8, data, ba->len))
    out = g_convert_with_fallback (data, ba->len, "UTF-8", g_mime_charset_iconv_name (charset), "?", NULL, NULL, NULL);
  else if (charset && g_ascii_strncasecmp (charset, "iso-2022", 8) == 0)
    out = g_convert_with_fallback (data, ba->len, "UTF-8", g_mime_charset_iconv_name (charset), "?", NULL, NULL, NULL);
  /* no charset (or a wrong "us-ascii") on 8-bit text, or ISO-2022-JP
   * escapes without a label: the charset whose reading holds the words of
   * src/lang (usc_lang_decode_guess), else the bytes as they are */
  gboolean valid = FALSE;
  if (out == NULL && (charset == NULL || g_ascii_strcasecmp (charset, "us-ascii") == 0)) {
    /* valid UTF-8 without escapes: what usc_lang_decode_guess leaves alone */
    if (memchr (data, 0x1b, ba->len) == NULL && utf8_once (&utf8, data, ba->len))
      valid = TRUE;
    else
      out = usc_lang_decode_guess (data, ba->len);
  }
  if (out == NULL && (valid || utf8_once (&utf8, data, ba->len)))
    return (char *) g_byte_array_free (ba, FALSE); /* NUL-terminated, as g_utf8_make_valid() would copy it */
  if (out == NULL)
    out = g_utf8_make_valid (data, ba->len);
  g_byte_array_unref (ba);
  return out;
}
/* Read a header-only block (text/rfc822-headers) as a copy of the
 * original's header, drawing on @budget (the message's). */
UscCopy *
usc_parse_header_block (const char *data, gsize len, UscBudget *budget)
{
  GString *s = g_string_new_len (data, len);
  /* some MTAs indent the block or start it with a blank line */
  gsize k = 0;
  while (k < s->len && (s->str[k] == '\n' || s->str[k] == '\r'))
    k++;
  g_string_erase (s, 0, k);
  g_string_append (s, "\n\n");
  /* only the fields the analysis reads from a copy */
  UscCopy *c = usc_mime_parse_header_copy (s->str, s->len, budget, usc_copy_field_wanted);
  g_string_free (s, TRUE);
  return c;
}
/* Does @data start with a header field ("Received: ...")? */
gboolean
usc_looks_like_field_n (const char *data, gsize len)
{
  gsize i = 0;
  while (i < len && i < 80 && (g_ascii_isalnum (data[i]) || data[i] == '-'))
    i++;
  return i > 1 && i < len && data[i] == ':';
}
/* An embedded message, leading blank lines skipped; drawing on @budget. */
GMimeMessage *
usc_embedded_message (const char *data, gsize len, UscBudget *budget)
{
  gsize k = 0;
  while (k < len && (data[k] == '\n' || data[k] == '\r' || data[k] == ' ' || data[k] == '\t'))
    k++;
  if (k == len)
    return NULL;
  return usc_mime_parse_embedded (data + k, len - k, budget);
}
/* A text part that is really a message file: named *.eml / *.msg, or an
 * attachment whose content starts with header fields. */
gboolean
usc_is_message_file (GMimeObject *o)
{
  const char *fname = g_mime_part_get_filename (GMIME_PART (o));
  if (fname && (g_str_has_suffix (fname, ".eml") || g_str_has_suffix (fname, ".EML")))
    return TRUE;
  const char *disp = g_mime_object_get_disposition (o);
  if (disp == NULL || g_ascii_strcasecmp (disp, "attachment") != 0)
    return FALSE;
  GByteArray *ba = usc_mime_part_content (o, 256);
  gboolean r = ba && usc_looks_like_field_n ((const char *) ba->data, ba->len);
  if (ba)
    g_byte_array_unref (ba);
  return r;
}
