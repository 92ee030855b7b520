/* usc-common.c — error domain and small string helpers shared by every module. */
#include "config.h"
#include "usc-common.h"

#include <string.h>
#include <stdlib.h>

G_DEFINE_QUARK (usc-error-quark, usc_error)

char *
usc_ascii_lower (const char *s)
{
  return s ? g_ascii_strdown (s, -1) : NULL;
}

char *
usc_strip_angle (const char *s, gboolean need_at)
{
  if (s == NULL)
    return NULL;
  while (g_ascii_isspace (*s) || *s == '<')
    s++;
  if (g_ascii_strncasecmp (s, "mailto:", 7) == 0)
    s += 7;
  const char *end = s + strlen (s);
  while (end > s && (g_ascii_isspace (end[-1]) || end[-1] == '>'))
    end--;
  if (end == s)
    return NULL;
  char *r = g_strndup (s, end - s);
  if (need_at && strchr (r, '@') == NULL) {
    g_free (r);
    return NULL;
  }
  return r;
}

gboolean
usc_ptr_array_add_unique (GPtrArray *arr, char *s, gboolean nocase)
{
  if (s == NULL)
    return FALSE;
  for (guint i = 0; i < arr->len; i++) {
    const char *o = g_ptr_array_index (arr, i);
    if (nocase ? g_ascii_strcasecmp (o, s) == 0 : strcmp (o, s) == 0) {
      g_free (s);
      return FALSE;
    }
  }
  g_ptr_array_add (arr, s);
  return TRUE;
}

/* g_str_hash() of the string lower-cased (ASCII): equal under
 * g_ascii_strcasecmp() means equal hashes. */
static guint
ascii_case_hash (gconstpointer key)
{
  guint h = 5381;
  for (const char *p = key; *p; p++)
    h = (h << 5) + h + (guchar) g_ascii_tolower (*p);
  return h;
}

static gboolean
ascii_case_equal (gconstpointer a, gconstpointer b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

gboolean
usc_ptr_array_add_unique_indexed (GPtrArray *arr, GHashTable **index_r, char *s, gboolean nocase)
{
  if (s == NULL)
    return FALSE;
  /* a short array is searched as it is; the index is built when it grows */
  if (*index_r == NULL && arr->len < 16)
    return usc_ptr_array_add_unique (arr, s, nocase);
  if (*index_r == NULL || g_hash_table_size (*index_r) != arr->len) {
    if (*index_r)
      g_hash_table_unref (*index_r);
    *index_r = nocase ? g_hash_table_new (ascii_case_hash, ascii_case_equal) : g_hash_table_new (g_str_hash, g_str_equal);
    for (guint i = 0; i < arr->len; i++)
      g_hash_table_add (*index_r, arr->pdata[i]);
  }
  if (g_hash_table_contains (*index_r, s)) {
    g_free (s);
    return FALSE;
  }
  g_ptr_array_add (arr, s);
  g_hash_table_add (*index_r, s);
  return TRUE;
}

gint64
usc_now_monotonic (void)
{
  return g_get_monotonic_time ();
}

gint64
usc_now (void)
{
  const char *e = g_getenv ("UNSCATTER_NOW");
  if (e != NULL && *e != '\0') {
    char *end = NULL;
    gint64 v = g_ascii_strtoll (e, &end, 10);
    if (end != e && *end == '\0')
      return v;
  }
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
display_unsafe (gunichar c)
{
  return (c >= 0x80 && c <= 0x9f) || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e)
         || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029 || c == 0xfeff;
}

char *
usc_display_escape (const char *s, gssize len)
{
  if (s == NULL)
    return g_strdup ("");
  gsize n = len < 0 ? strlen (s) : (gsize) len;
  GString *out = g_string_sized_new (n + 8);
  const char *p = s, *end = s + n;
  while (p < end) {
    unsigned char c = (unsigned char) *p;
    if (c < 0x80) {
      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
      p++;
      continue;
    }
    gunichar u = g_utf8_get_char_validated (p, end - p);
    if (u == (gunichar) -1 || u == (gunichar) -2) {
      g_string_append_printf (out, "\\x%02x", c);
      p++;
      continue;
    }
    const char *next = g_utf8_next_char (p);
    if (display_unsafe (u))
      g_string_append_printf (out, "\\u{%04X}", u);
    else
      g_string_append_len (out, p, next - p);
    p = next;
  }
  return g_string_free (out, FALSE);
}
