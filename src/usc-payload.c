/* usc-payload.c — one part of a bounce as a payload: its decoded content
 * (RFC 2045 6.8 base64 decoded with GLib's decoder, which goes on after a
 * padded chunk where GMime's filter stops, so nothing hides behind one),
 * what the bytes are (usc-payload-scan.c), and whether the declared type
 * (RFC 2045 5) or the file name (RFC 2183 2.3, RFC 2231) say otherwise.
 */
#include "config.h"
#include "usc-payload-private.h"
#include "usc-message.h"

#include <string.h>

void
usc_payload_free (UscPayload **payload)
{
  if (payload == NULL || *payload == NULL)
    return;
  UscPayload *p = *payload;
  g_free (p->declared_type);
  g_free (p->name);
  g_free (p->found_type);
  g_free (p->why);
  if (p->members)
    g_ptr_array_unref (p->members); /* frees its members */
  g_free (p);
  *payload = NULL;
}

void
usc_payload_free_ptr (gpointer payload)
{
  UscPayload *p = payload;
  usc_payload_free (&p);
}

/* Printable, bounded copy of an attacker-controlled string. */
static char *
clean (const char *s, gsize max)
{
  if (s == NULL)
    return NULL;
  char *v = g_utf8_make_valid (s, -1);
  for (char *c = v; *c; c++)
    if ((guchar) *c < 0x20 || *c == 0x7f)
      *c = ' ';
  if (strlen (v) > max) {
    const char *end = g_utf8_find_prev_char (v, v + max);
    if (end)
      v[end - v] = '\0';
  }
  return v;
}

/* What a file name's extension promises, as the prefix of a found type. */
static const struct {
  const char *ext;
  const char *type;
} ext_types[] = {
  { "pdf", "application/pdf" },
  { "txt", "text/" },
  { "csv", "text/" },
  { "log", "text/" },
  { "jpg", "image/jpeg" },
  { "jpeg", "image/jpeg" },
  { "png", "image/png" },
  { "gif", "image/gif" },
  { "zip", "application/zip" },
  { "rar", "application/vnd.rar" },
  { "7z", "application/x-7z-compressed" },
  { "gz", "application/gzip" },
  { "tgz", "application/gzip" },
  { "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml" },
  { "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml" },
  { "pptx", "application/vnd.openxmlformats-officedocument.presentationml" },
  { "htm", "text/html" },
  { "html", "text/html" },
  { "eml", "message/" },
};

static const char *
name_extension (const char *name)
{
  if (name == NULL)
    return NULL;
  const char *dot = strrchr (name, '.');
  return dot && dot[1] && strchr (dot, '/') == NULL ? dot + 1 : NULL;
}

/* Do the declared type and the name agree with what was found? */
static void
check_mismatch (UscPayload *p)
{
  const char *found = p->found_type;
  GString *w = g_string_new (NULL);
  const char *ext = name_extension (p->name);
  for (guint i = 0; ext && i < G_N_ELEMENTS (ext_types); i++)
    if (g_ascii_strcasecmp (ext, ext_types[i].ext) == 0) {
      if (!g_str_has_prefix (found, ext_types[i].type)
          && !(ext_types[i].type[0] == 't' && strcmp (found, "application/x-empty") == 0))
        g_string_append_printf (w, "behind the name %s", p->name);
      break;
    }
  const char *dt = p->declared_type;
  if (dt && strcmp (dt, "application/octet-stream") != 0 && strcmp (dt, found) != 0) {
    gsize major = strcspn (dt, "/");
    gboolean same_major = strncmp (dt, found, major + 1) == 0;
    /* text/plain for text/html, or one OOXML label for another, is a
     * mislabel, not a disguise; an executable found is always named */
    if (!same_major || (p->executable && w->len == 0))
      g_string_append_printf (w, "%sdeclared %s", w->len ? ", " : "", dt);
  }
  if (w->len) {
    p->flags |= USC_PAYLOAD_MISMATCH;
    char *t = p->why ? g_strdup_printf ("%s; %s", p->why, w->str) : g_strdup_printf ("is %s, %s", found, w->str);
    g_free (p->why);
    p->why = t;
  }
  g_string_free (w, TRUE);
}

UscPayload *
usc_payload_sniff (const void *data, gsize len, const char *declared_type, const char *name)
{
  UscPayload *p = g_new0 (UscPayload, 1);
  if (declared_type) {
    gsize n = strcspn (declared_type, "; \t");
    p->declared_type = g_ascii_strdown (declared_type, (gssize) n);
  }
  p->name = clean (name, 255);
  p->size = len;
  usc_payload_scan (p, data ? data : (const guint8 *) "", data ? len : 0, FALSE);
  check_mismatch (p);
  return p;
}

/* Base64 alphabet (RFC 4648 4), without the pad. */
static inline gboolean
b64_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

GByteArray *
usc_payload_part_bytes (GMimeObject *part, gsize max, gsize *resumed_at_r)
{
  if (resumed_at_r)
    *resumed_at_r = 0;
  if (part == NULL || !GMIME_IS_PART (part))
    return NULL;
  GMimeDataWrapper *w = g_mime_part_get_content (GMIME_PART (part));
  if (w == NULL)
    return NULL;
  if (g_mime_data_wrapper_get_encoding (w) != GMIME_CONTENT_ENCODING_BASE64)
    return usc_mime_part_content (part, max);
  GMimeStream *src = g_mime_data_wrapper_get_stream (w);
  if (src == NULL)
    return NULL;
  GMimeStream *sub = g_mime_stream_substream (src, src->bound_start, src->bound_end);
  GByteArray *out = g_byte_array_new ();
  char buf[8192];
  guint8 dec[8192 / 4 * 3 + 3];
  gint state = 0;
  guint save = 0;
  gboolean padded = FALSE;
  for (;;) {
    if (max && out->len >= max)
      break;
    ssize_t n = g_mime_stream_read (sub, buf, sizeof buf);
    if (n <= 0)
      break;
    ssize_t from = 0;
    for (ssize_t i = 0; i < n && resumed_at_r && *resumed_at_r == 0; i++) {
      if (buf[i] == '=') {
        padded = TRUE;
      } else if (padded && b64_char ((guchar) buf[i])) {
        /* data after a pad: GMime's decoder stopped at the pad; note
         * where (in decoded bytes) the next chunk starts */
        gsize k = g_base64_decode_step (buf, (gsize) i, dec, &state, &save);
        g_byte_array_append (out, dec, (guint) k);
        state = 0;
        save = 0;
        *resumed_at_r = out->len ? out->len : 1;
        from = i;
      }
    }
    gsize k = g_base64_decode_step (buf + from, (gsize) (n - from), dec, &state, &save);
    g_byte_array_append (out, dec, (guint) k);
  }
  g_object_unref (sub);
  if (max && out->len > max)
    g_byte_array_set_size (out, (guint) max);
  return out;
}

/* A message's bytes as GMime keeps them (headers, then the raw body). */
static GByteArray *
message_bytes (GMimeMessage *m, gsize max)
{
  GMimeStream *mem = g_mime_stream_mem_new ();
  GMimeObject *body = g_mime_message_get_mime_part (m);
  gboolean headerless = g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))) == 0;
  GByteArray *ba = NULL;
  if (headerless && body && GMIME_IS_PART (body)) {
    /* no header block: the body is what was declared a message */
    ba = usc_payload_part_bytes (body, max, NULL);
  } else {
    g_mime_object_write_to_stream (GMIME_OBJECT (m), NULL, mem);
    GByteArray *mb = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
    ba = g_byte_array_new ();
    g_byte_array_append (ba, mb->data, (guint) MIN (mb->len, max));
  }
  g_object_unref (mem);
  return ba;
}

static gboolean
binary_bytes (const guint8 *d, gsize len)
{
  gsize n = MIN (len, (gsize) 8192), ctl = 0;
  for (gsize i = 0; i < n; i++)
    if (d[i] == 0)
      return TRUE;
    else if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r' && d[i] != '\f' && d[i] != 0x1b)
      ctl++;
  return ctl * 20 > n;
}

UscPayload *
usc_payload_of_part (GMimeObject *part)
{
  if (part == NULL)
    return NULL;
  GMimeContentType *ct = g_mime_object_get_content_type (part);
  char *declared = ct ? g_mime_content_type_get_mime_type (ct) : g_strdup ("application/octet-stream");
  const char *name = GMIME_IS_PART (part) ? g_mime_part_get_filename (GMIME_PART (part)) : NULL;
  if (name == NULL)
    name = g_mime_object_get_content_type_parameter (part, "name");
  gsize resumed = 0;
  gboolean as_message = g_ascii_strncasecmp (declared, "message/", 8) == 0;
  GByteArray *ba = NULL;
  if (GMIME_IS_MESSAGE_PART (part)) {
    GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (part));
    ba = m ? message_bytes (m, USC_PAYLOAD_MAX + 1) : NULL;
    as_message = TRUE;
  } else if (GMIME_IS_PART (part)) {
    /* the head first: only the formats whose structure is read (archives,
     * disk images, OLE, PDF) are worth the rest */
    ba = usc_payload_part_bytes (part, USC_PAYLOAD_HEAD + 1, &resumed);
    if (ba && ba->len > USC_PAYLOAD_HEAD && !resumed) {
      UscSig sig = usc_payload_signature (ba->data, ba->len).sig;
      if (sig != USC_SIG_NONE && sig != USC_SIG_EXEC && sig != USC_SIG_MEDIA && sig != USC_SIG_COMPRESSED) {
        g_byte_array_unref (ba);
        ba = usc_payload_part_bytes (part, USC_PAYLOAD_MAX + 1, &resumed);
      } else {
        g_byte_array_set_size (ba, USC_PAYLOAD_HEAD);
      }
    }
  }
  if (ba == NULL) {
    g_free (declared);
    return NULL;
  }
  gboolean truncated = ba->len > USC_PAYLOAD_MAX || ba->len == USC_PAYLOAD_HEAD;
  if (ba->len > USC_PAYLOAD_MAX)
    g_byte_array_set_size (ba, USC_PAYLOAD_MAX);
  UscPayload *p = NULL;
  if (as_message) {
    /* a message is no payload; binary declared as one is a disguise */
    if (binary_bytes (ba->data, ba->len) || usc_payload_signature (ba->data, ba->len).sig != USC_SIG_NONE) {
      p = usc_payload_sniff (ba->data, ba->len, NULL, NULL);
      char *t = p->why ? g_strdup_printf ("a binary body (%s) declared %s: %s", p->found_type, declared, p->why)
                       : g_strdup_printf ("a binary body (%s) declared %s", p->found_type, declared);
      g_free (p->why);
      p->why = t;
      p->declared_type = g_strdup (declared);
      p->name = clean (name, 255);
      p->executable = TRUE;
      p->flags |= USC_PAYLOAD_MISMATCH;
    }
  } else {
    p = usc_payload_sniff (ba->data, ba->len, declared, name);
    if (resumed && resumed < ba->len && !p->executable) {
      /* what hides behind the pad, by itself */
      UscPayload *h = usc_payload_sniff (ba->data + resumed, ba->len - resumed, declared, name);
      if (h->executable || strcmp (h->found_type, p->found_type) != 0) {
        usc_payload_free (&p);
        p = h;
      } else {
        usc_payload_free (&h);
      }
    }
  }
  if (p && resumed) {
    p->flags |= USC_PAYLOAD_B64_RESUMED;
    char *t = g_strdup_printf ("%s%sbase64 goes on after a padded chunk (GMime stops at byte %" G_GSIZE_FORMAT ")",
                               p->why ? p->why : "", p->why ? "; " : "", resumed);
    g_free (p->why);
    p->why = t;
  }
  if (p && truncated)
    p->flags |= USC_PAYLOAD_TRUNCATED;
  g_byte_array_unref (ba);
  g_free (declared);
  return p;
}

gboolean
usc_payload_wanted (GMimeObject *part)
{
  if (part == NULL || !GMIME_IS_PART (part))
    return FALSE;
  GMimeContentType *ct = g_mime_object_get_content_type (part);
  if (ct == NULL || !g_mime_content_type_is_type (ct, "text", "*"))
    return TRUE;
  if (g_mime_part_get_filename (GMIME_PART (part)) != NULL)
    return TRUE;
  const char *disp = g_mime_object_get_disposition (part);
  return disp && g_ascii_strcasecmp (disp, "attachment") == 0;
}

char *
usc_payload_describe (const UscPayload *p)
{
  GString *o = g_string_new (NULL);
  char *name = clean (p->name, 80);
  g_string_append_printf (o, "%s (declared %s): %s", name ? name : "(no name)",
                          p->declared_type ? p->declared_type : "nothing", p->found_type);
  if (p->executable)
    g_string_append (o, ", executable");
  if (p->why) {
    char *w = clean (p->why, 300);
    g_string_append_printf (o, ": %s", w);
    g_free (w);
  }
  if (p->members && p->members->len) {
    g_string_append (o, " [");
    for (guint i = 0; i < p->members->len && i < 5; i++) {
      const UscPayloadMember *m = p->members->pdata[i];
      char *mn = clean (m->name, 60);
      g_string_append_printf (o, "%s%s%s", i ? ", " : "", mn, m->executable ? " (executable)" : "");
      g_free (mn);
    }
    if (p->members_total > 5)
      g_string_append_printf (o, " and %u more", p->members_total - 5);
    g_string_append_c (o, ']');
  }
  g_free (name);
  return g_string_free (o, FALSE);
}
