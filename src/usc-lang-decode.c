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

/* The converters from guess_charsets[] to UTF-8, opened once a thread
 * (GPrivate: a Sieve plugin's threads never share one) and kept: opening
 * one costs more than most conversions. (GIConv) -1: not tried yet;
 * NULL: iconv does not know the charset. `check --jobs` forks worker
 * processes: each has its own copy, and every use starts from the initial
 * state (reset first), so what a parent had converted changes nothing. */
typedef struct {
  GIConv cd[G_N_ELEMENTS (guess_charsets)];
} Converters;

static void
converters_free (gpointer p)
{
  Converters *c = p;
  for (gsize i = 0; i < G_N_ELEMENTS (c->cd); i++)
    if (c->cd[i] != (GIConv) -1 && c->cd[i] != NULL)
      g_iconv_close (c->cd[i]);
  g_free (c);
}

static GPrivate converters_key = G_PRIVATE_INIT (converters_free);

/* g_convert (@data, @len, "UTF-8", guess_charsets[@i], NULL, @got, NULL)
 * through the thread's converter: the same answer (g_convert opens the
 * same converter and converts with g_convert_with_iconv). */
static char *
convert_guess (const char *data, gsize len, gsize i, gsize *got)
{
  Converters *c = g_private_get (&converters_key);
  if (c == NULL) {
    c = g_new (Converters, 1);
    for (gsize k = 0; k < G_N_ELEMENTS (c->cd); k++)
      c->cd[k] = (GIConv) -1;
    g_private_set (&converters_key, c);
  }
  if (c->cd[i] == (GIConv) -1) {
    GIConv cd = g_iconv_open ("UTF-8", guess_charsets[i]);
    c->cd[i] = cd == (GIConv) -1 ? NULL : cd;
  }
  if (c->cd[i] == NULL)
    return NULL;
  g_iconv (c->cd[i], NULL, NULL, NULL, NULL); /* the initial state */
  return g_convert_with_iconv (data, (gssize) len, c->cd[i], NULL, got, NULL);
}

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
    char *u = convert_guess (data, len, i, &got);
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
