/* usc-dsn-value.c — the values of a report's fields, cleaned the tolerant
 * way real reports need (RFC 3464 section 2 and RFC 8098 section 3 syntax):
 * address type prefixes ("rfc822;", RFC 6533's "utf-8;" with \x{HHHH}
 * escapes), angle brackets, comments, a status code in its text, white
 * space collapsed, a disposition made canonical.
 */
#include "config.h"
#include "usc-dsn-value.h"

#include <stdlib.h>
#include <string.h>

/* The text of @s (freed), NULL when it is empty. */
static char *
string_or_null (GString *s)
{
  if (s->len == 0) {
    g_string_free (s, TRUE);
    return NULL;
  }
  return g_string_free (s, FALSE);
}

/* "rfc822; <User@Example.ORG>" -> "user@example.org" (NULL when empty). */
char *
usc_dsn_clean_address (const char *v)
{
  const char *semi = strchr (v, ';');
  if (semi) {
    /* a type prefix is a short token without '@' */
    gboolean is_type = TRUE;
    for (const char *p = v; p < semi; p++)
      if (*p == '@' || *p == '<' || *p == '"') {
        is_type = FALSE;
        break;
      }
    if (is_type)
      v = semi + 1;
  }
  while (*v == ' ' || *v == '\t')
    v++;
  /* RFC 6533 utf-8 type: \x{HHHH} escapes */
  GString *s = g_string_new (NULL);
  for (const char *p = v; *p; p++) {
    if (p[0] == '\\' && p[1] == 'x' && p[2] == '{') {
      char *end = NULL;
      gulong cp = strtoul (p + 3, &end, 16);
      if (end && *end == '}' && cp > 0 && cp < 0x110000) {
        g_string_append_unichar (s, (gunichar) cp);
        p = end;
        continue;
      }
    }
    g_string_append_c (s, *p);
  }
  char *str = g_string_free (s, FALSE);
  /* take the <...> content when present, else the first word */
  char *lt = strchr (str, '<');
  char *addr;
  if (lt) {
    char *gt = strchr (lt, '>');
    addr = gt ? g_strndup (lt + 1, gt - lt - 1) : g_strdup (lt + 1);
  } else {
    char *q = str;
    while (*q && *q != ' ' && *q != '\t' && *q != '(')
      q++;
    addr = g_strndup (str, q - str);
  }
  g_free (str);
  g_strstrip (addr);
  /* drop quotes around the whole thing and a trailing dot / comma */
  gsize n = strlen (addr);
  while (n > 0 && (addr[n - 1] == '.' || addr[n - 1] == ',' || addr[n - 1] == ';'))
    addr[--n] = '\0';
  if (n == 0) {
    g_free (addr);
    return NULL;
  }
  for (char *p = addr; *p; p++)
    if ((guchar) *p < 0x80)
      *p = g_ascii_tolower (*p);
  return addr;
}

/* "<id@host> (comment)" -> "id@host"; NULL unless it has an '@'. */
char *
usc_dsn_clean_msgid (const char *v)
{
  const char *lt = strchr (v, '<');
  const char *s = lt ? lt + 1 : v;
  while (*s == ' ' || *s == '\t')
    s++;
  const char *e = s;
  while (*e && *e != '>' && *e != ' ' && *e != '\t')
    e++;
  if (e == s || memchr (s, '@', e - s) == NULL)
    return NULL;
  return g_strndup (s, e - s);
}

/* "dns; mx.example.net (comment)" -> "mx.example.net" */
char *
usc_dsn_clean_name (const char *v)
{
  const char *semi = strchr (v, ';');
  if (semi && semi - v < 16)
    v = semi + 1;
  while (*v == ' ' || *v == '\t')
    v++;
  const char *e = v;
  while (*e && *e != ' ' && *e != '\t' && *e != '(' && *e != '[')
    e++;
  if (e == v)
    return NULL;
  char *s = g_strndup (v, e - v);
  gsize n = strlen (s);
  while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ';'))
    s[--n] = '\0';
  if (n == 0) {
    g_free (s);
    return NULL;
  }
  return s;
}

/* Diagnostic-Code "smtp; 550 5.1.1 <x>: unknown" -> "550 5.1.1 <x>: unknown"
 * (white space collapsed). */
char *
usc_dsn_clean_text (const char *v, gboolean strip_type)
{
  if (strip_type) {
    const char *semi = strchr (v, ';');
    if (semi && semi - v < 16) {
      gboolean word = TRUE;
      for (const char *p = v; p < semi; p++)
        if (!(g_ascii_isalnum (*p) || *p == '-' || *p == ' ' || *p == '.'))
          word = FALSE;
      if (word)
        v = semi + 1;
    }
  }
  GString *s = g_string_new (NULL);
  gboolean sp = TRUE;
  for (const char *p = v; *p; p++) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
      if (!sp)
        g_string_append_c (s, ' ');
      sp = TRUE;
    } else {
      g_string_append_c (s, *p);
      sp = FALSE;
    }
  }
  while (s->len && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  return string_or_null (s);
}

gsize
usc_dsn_status_len (const char *p)
{
  if (!(p[0] == '2' || p[0] == '4' || p[0] == '5') || p[1] != '.')
    return 0;
  const char *q = p + 2;
  int a = 0, b = 0;
  while (g_ascii_isdigit (*q) && a < 4) { q++; a++; }
  if (a == 0 || a > 3 || *q != '.')
    return 0;
  q++;
  while (g_ascii_isdigit (*q) && b < 4) { q++; b++; }
  if (b == 0 || b > 3)
    return 0; /* (b <= 3: no digit follows) */
  return (gsize) (q - p);
}

/* Find an RFC 3463 status code in @v ("5.1.1 (bad mailbox)" -> "5.1.1"). */
char *
usc_dsn_find_status (const char *v)
{
  for (const char *p = v; *p; p++) {
    gsize n;
    if ((p == v || !(g_ascii_isdigit (p[-1]) || p[-1] == '.')) && (n = usc_dsn_status_len (p)) > 0)
      return g_strndup (p, n);
  }
  return NULL;
}

/* "Automatic-Action/MDN-sent-automatically; deleted / error (comment)" ->
 * "automatic-action/mdn-sent-automatically;deleted/error" (NULL when empty). */
char *
usc_dsn_clean_disposition (const char *v)
{
  GString *s = g_string_new (NULL);
  int depth = 0;
  for (const char *p = v; *p; p++) {
    if (*p == '(')
      depth++;
    else if (*p == ')' && depth > 0)
      depth--;
    else if (depth == 0 && !g_ascii_isspace (*p))
      g_string_append_c (s, g_ascii_tolower (*p));
  }
  return string_or_null (s);
}
