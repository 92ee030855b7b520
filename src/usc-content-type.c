/* usc-content-type.c — what the pre-scan reads of a Content-Type value
 * without GMime: whether it can name a container at all, and the type,
 * subtype and boundary of a plain value, as GMime's
 * g_mime_content_type_parse() would give them (RFC 2045 section 5.1,
 * RFC 2046 section 5.1.1). Anything not plain is left to GMime.
 */
#include "config.h"
#include "usc-content-type.h"

#include <string.h>

/* Does the text @v (@len bytes, or up to a NUL) hold @word (lower case),
 * ASCII case ignored? */
static gboolean
holds_word_ci (const char *v, gsize len, const char *word)
{
  gsize wl = strlen (word);
  for (gsize i = 0; i + wl <= len && v[i]; i++) {
    gsize j = 0;
    while (j < wl && v[i + j] && g_ascii_tolower (v[i + j]) == word[j])
      j++;
    if (j == wl)
      return TRUE;
  }
  return FALSE;
}

/* Can GMime make a container (multipart, message) of the Content-Type value
 * @v (@len bytes)? Its media type is a token of the value itself, so not
 * unless the value holds "multipart" or "message": for such a value (nearly
 * every text or attachment part) the pre-scan spares itself GMime's parse
 * of it. Only in a digest does a failed parse matter (a message then). */
gboolean
usc_ct_may_contain (const char *v, gsize len)
{
  return holds_word_ci (v, len, "multipart") || holds_word_ci (v, len, "message");
}

/* A token of a Content-Type value as GMime reads it: printable ASCII but
 * white space and the tspecials. */
static inline gboolean
ct_token_char (char c)
{
  return c > 0x20 && c < 0x7f && strchr ("()<>@,;:\\\"/[]?=", c) == NULL;
}

static inline gsize
ct_skip_ws (const char *v, gsize i, gsize len)
{
  while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r'))
    i++;
  return i;
}

/* What the pre-scan needs of a Content-Type value @v (@len bytes), read
 * without GMime when the value is plain: "type/subtype" tokens, then
 * "; name=value" parameters (a token, or a quoted string without '\\'),
 * printable ASCII and white space (folds) only, no comment, no "=?", no RFC
 * 2231 name ('*'), "boundary" at most once. Then GMime's parse of it gives
 * these very tokens and that boundary (quotes removed): the spans are set
 * (boundary: len 0 when there is none) and TRUE returned. FALSE for anything
 * else: GMime must read the value. usc_ct_read_plain() is its test hook. */
gboolean
usc_ct_plain (const char *v, gsize len, gsize *type_r, gsize *type_len_r, gsize *sub_r, gsize *sub_len_r,
              gsize *bnd_r, gsize *bnd_len_r)
{
  for (gsize k = 0; k < len; k++)
    if (!((v[k] >= 0x20 && v[k] < 0x7f) || v[k] == '\t' || v[k] == '\n' || v[k] == '\r') ||
        (v[k] == '=' && k + 1 < len && v[k + 1] == '?') || v[k] == '(' || v[k] == '\\' || v[k] == '*')
      return FALSE;
  gsize i = ct_skip_ws (v, 0, len), j = i;
  while (j < len && ct_token_char (v[j]))
    j++;
  if (j == i || j >= len || v[j] != '/')
    return FALSE;
  *type_r = i;
  *type_len_r = j - i;
  i = j + 1;
  j = i;
  while (j < len && ct_token_char (v[j]))
    j++;
  if (j == i)
    return FALSE;
  *sub_r = i;
  *sub_len_r = j - i;
  *bnd_r = 0;
  *bnd_len_r = 0;
  gboolean have_bnd = FALSE;
  i = ct_skip_ws (v, j, len);
  while (i < len) {
    if (v[i] != ';')
      return FALSE;
    i = ct_skip_ws (v, i + 1, len);
    if (i == len)
      break; /* a trailing ';' */
    gsize n = i;
    while (n < len && ct_token_char (v[n]))
      n++;
    if (n == i)
      return FALSE;
    gboolean is_bnd = n - i == 8 && g_ascii_strncasecmp (v + i, "boundary", 8) == 0;
    i = ct_skip_ws (v, n, len);
    if (i == len || v[i] != '=')
      return FALSE;
    i = ct_skip_ws (v, i + 1, len);
    gsize vs, ve;
    if (i < len && v[i] == '"') {
      vs = i + 1;
      ve = vs;
      while (ve < len && v[ve] != '"' && v[ve] != '\n' && v[ve] != '\r')
        ve++;
      if (ve == len || v[ve] != '"')
        return FALSE;
      i = ve + 1;
    } else {
      vs = i;
      ve = vs;
      while (ve < len && ct_token_char (v[ve]))
        ve++;
      if (ve == vs)
        return FALSE;
      i = ve;
    }
    if (is_bnd) {
      if (have_bnd || ve == vs)
        return FALSE;
      have_bnd = TRUE;
      *bnd_r = vs;
      *bnd_len_r = ve - vs;
    }
    i = ct_skip_ws (v, i, len);
  }
  return TRUE;
}

gboolean
usc_ct_read_plain (const char *v, char **type_r, char **subtype_r, char **boundary_r)
{
  gsize t, tl, st, sl, b, bl;
  if (!usc_ct_plain (v, strlen (v), &t, &tl, &st, &sl, &b, &bl))
    return FALSE;
  *type_r = g_strndup (v + t, tl);
  *subtype_r = g_strndup (v + st, sl);
  *boundary_r = bl ? g_strndup (v + b, bl) : NULL;
  return TRUE;
}
