/* usc-eol.c — line endings of raw message bytes: LF, CRLF and CR-only
 * input turned to LF (a copy, or in place for CRLF throughout) and back.
 */
#include "config.h"
#include "usc-eol.h"

#include <string.h>

/* Copy @raw to LF line endings (CRLF and lone CR become LF), NUL-terminated. */
char *
usc_eol_normalize (const char *raw, gsize len, gsize *len_r)
{
  char *out = g_malloc (len + 1);
  const char *cr = memchr (raw, '\r', len);
  if (cr == NULL) {
    memcpy (out, raw, len);
    out[len] = '\0';
    *len_r = len;
    return out;
  }
  gsize o = 0, i = 0;
  while (i < len) {
    const char *p = memchr (raw + i, '\r', len - i);
    gsize run = p ? (gsize) (p - (raw + i)) : len - i;
    memcpy (out + o, raw + i, run);
    o += run;
    i += run;
    if (p == NULL)
      break;
    out[o++] = '\n';
    i++;
    if (i < len && raw[i] == '\n')
      i++;
  }
  out[o] = '\0';
  *len_r = o;
  return out;
}

/* TRUE when every line ending of @s is CRLF: each CR followed by an LF and
 * each LF preceded by a CR (at least one). Such input turns to LF and back
 * without a byte changing (usc_eol_crlf_to_lf, usc_eol_lf_to_crlf). */
gboolean
usc_eol_all_crlf (const char *s, gsize len)
{
  gsize crs = 0, lfs = 0;
  for (const char *p = s, *end = s + len; (p = memchr (p, '\r', end - p)) != NULL; p++) {
    if (p + 1 == end || p[1] != '\n')
      return FALSE;
    crs++;
  }
  for (const char *p = s, *end = s + len; (p = memchr (p, '\n', end - p)) != NULL; p++)
    lfs++;
  return crs > 0 && crs == lfs;
}

/* Drop the CR of every CRLF of @s (usc_eol_all_crlf) in place; returns the new length. */
gsize
usc_eol_crlf_to_lf (char *s, gsize len)
{
  gsize o = 0, i = 0;
  while (i < len) {
    char *p = memchr (s + i, '\r', len - i);
    gsize run = p ? (gsize) (p - (s + i)) : len - i;
    memmove (s + o, s + i, run);
    o += run;
    i += run + (p ? 1 : 0);
  }
  return o;
}

/* The inverse of usc_eol_crlf_to_lf: @s holds @len bytes of LF text in a buffer of
 * @total bytes, total - len being its number of LFs; each LF becomes CRLF
 * again, in place, working from the end. */
void
usc_eol_lf_to_crlf (char *s, gsize len, gsize total)
{
  gsize i = len, j = total;
  while (i > 0) {
    const char *nl = memrchr (s, '\n', i);
    gsize start = nl ? (gsize) (nl - s) + 1 : 0, run = i - start;
    j -= run;
    memmove (s + j, s + start, run);
    i = start;
    if (nl == NULL)
      break;
    s[--j] = '\n';
    s[--j] = '\r';
    i--;
  }
}

/* End of the line starting at @i in @s (any of LF, CRLF, CR): returns the
 * offset of its terminator (or @len) and the terminator's length in *eol_len_r. */
gsize
usc_eol_line_end (const char *s, gsize i, gsize len, gsize *eol_len_r)
{
  /* two memchr()s (vectorised) instead of a byte loop: the first LF, then
   * a CR before it */
  if (i < len) {
    const char *nl = memchr (s + i, '\n', len - i);
    gsize e = nl ? (gsize) (nl - s) : len;
    const char *cr = e > i ? memchr (s + i, '\r', e - i) : NULL;
    i = cr ? (gsize) (cr - s) : e;
  }
  if (i >= len)
    *eol_len_r = 0;
  else if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
    *eol_len_r = 2;
  else
    *eol_len_r = 1;
  return i;
}
