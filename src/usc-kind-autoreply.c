/* usc-kind-autoreply.c — auto-replies (RFC 3834): Exchange rule replies, subject
 * stems ("Automatic reply: ...").
 */
#include "config.h"
#include "usc-bounce-private.h"

/* Exchange inbox rule answer: the loop header, and a subject made of an
 * unknown prefix and the Thread-Topic (the original subject). */
gboolean
usc_exchange_rule_reply (Ctx *c, GMimeObject *top)
{
  if (!usc_any_header (top, exchange_rule_headers, N (exchange_rule_headers)))
    return FALSE;
  const char *tt = usc_hdr (top, "Thread-Topic");
  if (tt == NULL || c->subject_lc == NULL)
    return FALSE;
  char *dec = g_mime_utils_header_decode_text (NULL, tt);
  char *topic = g_utf8_strdown (g_strstrip (dec), -1);
  g_free (dec);
  gsize sl = strlen (c->subject_lc), tl = strlen (topic);
  gboolean r = tl >= 3 && sl > tl + 1 && strcmp (c->subject_lc + sl - tl, topic) == 0 &&
               !usc_prefix_any (c->subject_lc, human_subject_prefixes, N (human_subject_prefixes), NULL);
  g_free (topic);
  return r;
}
/* "<prefix>: rest" whose prefix is one to three words, one of them with
 * the stem of "automatic" (autoreply_subject_stems): an automatic answer's
 * subject in a language the prefix table does not list. */
gboolean
usc_stem_subject_prefix (const char *subject_lc)
{
  const char *s = usc_skip_brackets (subject_lc);
  const char *colon = strchr (s, ':');
  const char *fw = strstr (s, "\xef\xbc\x9a");  /* a full-width colon */
  if (fw && (colon == NULL || fw < colon))
    colon = fw;
  if (colon == NULL || colon == s || colon - s > 48 || colon[1] == '\0')
    return FALSE;
  char *pre = g_strndup (s, colon - s);
  guint words = 1;
  for (const char *q = pre; *q; q++)
    if (*q == ' ' && q[1] && q[1] != ' ')
      words++;
  gboolean r = words <= 3 && usc_contains_any (pre, autoreply_subject_stems, N (autoreply_subject_stems), NULL) &&
               !usc_contains_any (pre, autoreply_stem_exclusions, N (autoreply_stem_exclusions), NULL);
  g_free (pre);
  return r;
}
