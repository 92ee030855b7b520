/* usc-lang-decode.c — text whose charset was not declared: decoded with the
 * candidate charset whose reading holds the most phrases of src/lang
 * (usc_lang_decode_guess, usc-lang.h).
 */
#include "config.h"
#include "usc-lang.h"

#include <string.h>

/* The charsets tried for text that declares none, most common first (a
 * tie goes to the earlier). */
static const char *const guess_charsets[] = {
  "ISO-2022-JP", "WINDOWS-1252", "WINDOWS-1250", "WINDOWS-1251", "KOI8-R", "ISO-8859-7", "WINDOWS-1254",
  "WINDOWS-1255", "WINDOWS-1256", "WINDOWS-1257", "WINDOWS-1258", "GB18030", "BIG5", "EUC-KR", "SHIFT_JIS",
  "EUC-JP", "TIS-620",
};

static guint
phrase_score (const char *utf8)
{
  char *f = usc_lang_fold (utf8, -1);
  gsize n = strlen (f);
  guint score = 0, counts[USC_LANG_N_SIGNALS];
  usc_lang_count_text (f, n, counts, NULL); /* the two prefix tables count 0 */
  for (guint s = 0; s < USC_LANG_N_SIGNALS; s++)
    score += counts[s];
  g_free (f);
  return score;
}

char *
usc_lang_decode_guess (const char *data, gsize len)
{
  if (data == NULL || len == 0)
    return NULL;
  gboolean escapes = memchr (data, 0x1b, len) != NULL;
  if (!escapes && g_utf8_validate (data, len, NULL))
    return NULL;
  char *best = NULL;
  guint best_score = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (guess_charsets); i++) {
    gboolean jis = strcmp (guess_charsets[i], "ISO-2022-JP") == 0;
    if (jis != escapes)
      continue;  /* ISO-2022-JP only, and only, for text with escapes */
    gsize got = 0;
    char *u = g_convert (data, len, "UTF-8", guess_charsets[i], NULL, &got, NULL);
    if (u == NULL)
      continue;
    guint sc = phrase_score (u);
    if (sc > best_score) {
      g_free (best);
      best = u;
      best_score = sc;
    } else {
      g_free (u);
    }
  }
  return best;
}
