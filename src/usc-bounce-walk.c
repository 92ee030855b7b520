/* usc-bounce-walk.c — the MIME walk of the bounce analysis: the parts of a notice
 * (RFC 2045/2046 multipart, RFC 3462/6522 multipart/report, RFC 3464
 * message/delivery-status, RFC 6533 message/global*, RFC 5965 feedback
 * reports, message/rfc822 and text/rfc822-headers returned copies), within
 * the limits of UscMessage (depth, parts, deadline); payloads are collected
 * for libmagic. walk() looks at the notice, walk_payload() inside a returned
 * copy.
 */
#include "config.h"
#include "usc-bounce-private.h"

/* Decoded text of a leaf part in UTF-8; NUL bytes (QP "=00", broken
 * encoders) become spaces so that nothing after them is lost. */
char *
usc_part_text (GMimeObject *part, gsize max)
{
  GByteArray *ba = usc_mime_part_content (part, max);
  if (ba == NULL)
    return NULL;
  for (guint i = 0; i < ba->len; i++)
    if (ba->data[i] == 0)
      ba->data[i] = ' ';
  const char *charset = g_mime_object_get_content_type_parameter (part, "charset");
  char *out = NULL;
  if (charset && g_ascii_strcasecmp (charset, "utf-8") != 0 && g_ascii_strcasecmp (charset, "us-ascii") != 0 &&
      !g_utf8_validate ((const char *) ba->data, ba->len, NULL))
    out = g_convert_with_fallback ((const char *) ba->data, ba->len, "UTF-8",
                                   g_mime_charset_iconv_name (charset), "?", NULL, NULL, NULL);
  else if (charset && g_ascii_strncasecmp (charset, "iso-2022", 8) == 0)
    out = g_convert_with_fallback ((const char *) ba->data, ba->len, "UTF-8",
                                   g_mime_charset_iconv_name (charset), "?", NULL, NULL, NULL);
  if (out == NULL)
    out = g_utf8_make_valid ((const char *) ba->data, ba->len);
  g_byte_array_unref (ba);
  return out;
}
static char *
content_type_of (GMimeObject *o)
{
  GMimeContentType *ct = g_mime_object_get_content_type (o);
  if (ct == NULL)
    return g_strdup ("text/plain");
  char *m = g_mime_content_type_get_mime_type (ct);
  char *lc = g_ascii_strdown (m, -1);
  g_free (m);
  return lc;
}
void
usc_add_returned (Ctx *c, GMimeMessage *m, const char *source)
{
  g_ptr_array_add (c->returned, m);
  g_ptr_array_add (c->returned_src, (gpointer) source);
}
/* Parse a header-only block (text/rfc822-headers) as a message, drawing on
 * @budget (the message's). */
static GMimeMessage *
parse_header_block (const char *data, gsize len, UscBudget *budget)
{
  GString *s = g_string_new_len (data, len);
  /* some MTAs indent the block or start it with a blank line */
  gsize k = 0;
  while (k < s->len && (s->str[k] == '\n' || s->str[k] == '\r'))
    k++;
  g_string_erase (s, 0, k);
  g_string_append (s, "\n\n");
  GMimeMessage *m = usc_mime_parse_embedded (s->str, s->len, budget);
  g_string_free (s, TRUE);
  return m;
}
/* Does @data start with a header field ("Received: ...")? */
static gboolean
looks_like_field_n (const char *data, gsize len)
{
  gsize i = 0;
  while (i < len && i < 80 && (g_ascii_isalnum (data[i]) || data[i] == '-'))
    i++;
  return i > 1 && i < len && data[i] == ':';
}
/* An embedded message, leading blank lines skipped; drawing on @budget. */
static GMimeMessage *
embedded_message (const char *data, gsize len, UscBudget *budget)
{
  gsize k = 0;
  while (k < len && (data[k] == '\n' || data[k] == '\r' || data[k] == ' ' || data[k] == '\t'))
    k++;
  if (k == len)
    return NULL;
  return usc_mime_parse_embedded (data + k, len - k, budget);
}
/* Payloads are sniffed (libmagic) only once the message is known to be a
 * bounce: ordinary mail with attachments never loads the magic database. */
static void
defer_sniff (Ctx *c, GMimeObject *part)
{
  if (c->payloads->len < 32)
    g_ptr_array_add (c->payloads, g_object_ref (part));
}
static gboolean
walk_limit (Ctx *c, guint depth)
{
  if (depth > c->max_depth || ++c->parts > c->msg->limits.max_parts || usc_message_expired (c->msg)) {
    c->b->truncated = TRUE;
    return TRUE;
  }
  return FALSE;
}
/* Payloads inside a returned original: only sniff non-text attachments. */
static void
walk_payload (Ctx *c, GMimeObject *o, guint depth)
{
  if (o == NULL || walk_limit (c, depth))
    return;
  if (GMIME_IS_MULTIPART (o)) {
    GMimeMultipart *mp = GMIME_MULTIPART (o);
    int n = g_mime_multipart_get_count (mp);
    for (int i = 0; i < n && !c->b->truncated; i++)
      walk_payload (c, g_mime_multipart_get_part (mp, i), depth + 1);
  } else if (GMIME_IS_MESSAGE_PART (o)) {
    GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (o));
    if (m && g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))) == 0)
      defer_sniff (c, o); /* no header: a binary body declared a message? */
    if (m)
      walk_payload (c, g_mime_message_get_mime_part (m), depth + 1);
  } else if (GMIME_IS_PART (o)) {
    if (usc_payload_wanted (o)) /* non-text, or an attachment */
      defer_sniff (c, o);
  }
}
static void
append_text (Ctx *c, const char *t)
{
  if (c->text->len >= TEXT_MAX * 2)
    return;
  if (c->text->len)
    g_string_append (c->text, "\n\n");
  gsize off = c->text->len;
  g_string_append (c->text, t);
  if (!c->have_first && strlen (t) >= 40) {
    c->have_first = TRUE;
    c->first_off = off;
    c->first_text_len = c->text->len - off;
  }
}
/* A text part that is really a message file: named *.eml / *.msg, or an
 * attachment whose content starts with header fields. */
static gboolean
is_message_file (GMimeObject *o)
{
  const char *fname = g_mime_part_get_filename (GMIME_PART (o));
  if (fname && (g_str_has_suffix (fname, ".eml") || g_str_has_suffix (fname, ".EML")))
    return TRUE;
  const char *disp = g_mime_object_get_disposition (o);
  if (disp == NULL || g_ascii_strcasecmp (disp, "attachment") != 0)
    return FALSE;
  GByteArray *ba = usc_mime_part_content (o, 256);
  gboolean r = ba && looks_like_field_n ((const char *) ba->data, ba->len);
  if (ba)
    g_byte_array_unref (ba);
  return r;
}
/* A multipart's prologue (before the first boundary) sometimes carries the
 * report or the original's headers. */
static void
append_prologue (Ctx *c, const char *pro)
{
  char *t = g_utf8_make_valid (pro, MIN (strlen (pro), TEXT_MAX));
  if (c->text->len < TEXT_MAX * 2) {
    if (c->text->len)
      g_string_append (c->text, "\n\n");
    g_string_append (c->text, t);
  }
  g_free (t);
}
/* A leaf whose MIME headers are really the original's header block (a part
 * that starts without a blank line). */
static void
part_headers_as_copy (Ctx *c, GMimeObject *o)
{
  if (g_mime_object_get_header (o, "Message-ID") == NULL)
    return;
  GMimeHeaderList *hl = g_mime_object_get_header_list (o);
  char *h = g_mime_header_list_to_string (hl, NULL);
  if (h) {
    GMimeMessage *m = parse_header_block (h, strlen (h), c->msg->budget);
    if (m)
      usc_add_returned (c, m, "inline-copy");
    g_free (h);
  }
}
void
usc_bounce_walk (Ctx *c, GMimeObject *o, guint depth)
{
  if (o == NULL || walk_limit (c, depth))
    return;
  if (GMIME_IS_MULTIPART (o)) {
    GMimeMultipart *mp = GMIME_MULTIPART (o);
    char *ct = content_type_of (o);
    if (strcmp (ct, "multipart/report") == 0 && c->report_type == NULL) {
      const char *rt = g_mime_object_get_content_type_parameter (o, "report-type");
      if (rt)
        c->report_type = g_ascii_strdown (rt, -1);
    }
    g_free (ct);
    const char *pro = g_mime_multipart_get_prologue (mp);
    if (pro && strlen (pro) > 40)
      append_prologue (c, pro);
    int n = g_mime_multipart_get_count (mp);
    for (int i = 0; i < n && !c->b->truncated; i++)
      usc_bounce_walk (c, g_mime_multipart_get_part (mp, i), depth + 1);
    return;
  }
  if (GMIME_IS_MESSAGE_PART (o)) {
    GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (o));
    if (m && g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))) == 0) {
      defer_sniff (c, o); /* or a binary body declared a message */
      /* a blank line before the returned headers: re-parse without it */
      char *str = g_mime_object_to_string (GMIME_OBJECT (m), NULL);
      GMimeMessage *m2 = str ? embedded_message (str, strlen (str), c->msg->budget) : NULL;
      g_free (str);
      if (m2) {
        char *ct = content_type_of (o);
        usc_add_returned (c, m2, g_str_has_prefix (ct, "message/global") ? "message/global" : "message/rfc822");
        g_free (ct);
        walk_payload (c, g_mime_message_get_mime_part (m2), depth + 1);
        return;
      }
    }
    if (m) {
      char *ct = content_type_of (o);
      g_object_ref (m);
      usc_add_returned (c, m, g_str_has_prefix (ct, "message/global") ? "message/global" : "message/rfc822");
      g_free (ct);
      walk_payload (c, g_mime_message_get_mime_part (m), depth + 1);
    }
    return;
  }
  if (!GMIME_IS_PART (o))
    return;

  char *ct = content_type_of (o);
  part_headers_as_copy (c, o);
  if (strcmp (ct, "message/delivery-status") == 0 || strcmp (ct, "message/global-delivery-status") == 0 ||
      strcmp (ct, "message/delivery-status-report") == 0) {
    GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
    if (ba) {
      UscDsnReport *r = usc_dsn_parse ((const char *) ba->data, ba->len, NULL);
      if (r)
        g_ptr_array_add (c->reports, r);
      /* broken boundaries can leave the returned headers in here */
      if (ba->len > 0 && c->text->len < TEXT_MAX * 2) {
        char *t = g_utf8_make_valid ((const char *) ba->data, ba->len);
        append_prologue (c, t);
        g_free (t);
      }
      g_byte_array_unref (ba);
    }
  } else if (strcmp (ct, "message/feedback-report") == 0) {
    c->feedback_part = TRUE;
    if (!c->feedback_text) {
      GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
      if (ba) {
        c->feedback_text = g_utf8_make_valid ((const char *) ba->data, ba->len);
        g_byte_array_unref (ba);
      }
    }
  } else if (strcmp (ct, "text/rfc822-headers") == 0 || strcmp (ct, "message/global-headers") == 0 ||
             strcmp (ct, "text/rfc822-header") == 0 || strcmp (ct, "message/rfc822-headers") == 0 ||
             strcmp (ct, "text/x-rfc822-headers") == 0) {
    GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
    if (ba) {
      GMimeMessage *m = parse_header_block ((const char *) ba->data, ba->len, c->msg->budget);
      if (m)
        usc_add_returned (c, m, strcmp (ct, "message/global-headers") == 0 ? "message/global-headers"
                                                                         : "text/rfc822-headers");
      c->header_copy = TRUE;
      g_byte_array_unref (ba);
    }
  } else if (strcmp (ct, "message/rfc822") == 0 || strcmp (ct, "message/global") == 0 ||
             strcmp (ct, "message/news") == 0 || strcmp (ct, "message/partial") == 0) {
    /* an encoded returned message that GMime left as a leaf */
    defer_sniff (c, o); /* a payload only when binary */
    GByteArray *ba = usc_mime_part_content (o, 0);
    if (ba) {
      GMimeMessage *m = embedded_message ((const char *) ba->data, ba->len, c->msg->budget);
      if (m) {
        usc_add_returned (c, m, strcmp (ct, "message/global") == 0 ? "message/global" : "message/rfc822");
        walk_payload (c, g_mime_message_get_mime_part (m), depth + 1);
      }
      g_byte_array_unref (ba);
    }
  } else if (g_str_has_prefix (ct, "text/") && is_message_file (o)) {
    /* the returned original attached as a file ("original.eml", text/plain) */
    GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
    GMimeMessage *m = ba ? embedded_message ((const char *) ba->data, ba->len, c->msg->budget) : NULL;
    if (m && g_mime_message_get_message_id (m))
      usc_add_returned (c, m, "message/rfc822");
    else if (m)
      g_object_unref (m);
    if (ba)
      g_byte_array_unref (ba);
  } else if (g_str_has_prefix (ct, "text/")) {
    if (usc_payload_wanted (o)) /* a text attachment: a script can hide there */
      defer_sniff (c, o);
    char *t = usc_part_text (o, TEXT_MAX);
    if (t) {
      if (strcmp (ct, "text/html") == 0) {
        char *p = usc_html_to_text (t);
        g_free (t);
        t = p;
      }
      append_text (c, t);
      g_free (t);
    }
  } else if (strcmp (ct, "application/ms-tnef") != 0) {
    /* a returned original labelled as a file ("original.eml",
     * application/octet-stream) is still a message */
    const char *fname = g_mime_part_get_filename (GMIME_PART (o));
    gboolean eml_name = fname && (g_str_has_suffix (fname, ".eml") || g_str_has_suffix (fname, ".EML"));
    if (eml_name || strcmp (ct, "application/octet-stream") == 0) {
      GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
      if (ba && ba->len > 0 && (eml_name || looks_like_field_n ((const char *) ba->data, ba->len))) {
        GMimeMessage *m = embedded_message ((const char *) ba->data, ba->len, c->msg->budget);
        if (m && g_mime_message_get_message_id (m))
          usc_add_returned (c, m, "message/rfc822");
        else if (m)
          g_object_unref (m);
      }
      if (ba)
        g_byte_array_unref (ba);
    }
    /* the notice's own inline pictures (Gmail's error icon) are no payload */
    if (!(g_str_has_prefix (ct, "image/") && g_mime_object_get_content_id (o)))
      defer_sniff (c, o);
  }
  g_free (ct);
}
