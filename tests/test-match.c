/* test-match.c — unit tests for usc-match (GTest): the multi-pattern matcher
 * gives exactly the answers of one strstr() per pattern (and of strstr() on a
 * lower-cased copy, i.e. strcasestr() for lower-case patterns, when folded),
 * for small hand-made cases and for every table of the bounce analysis over
 * the text of every message under fixtures/ and tests/heldout/. */
#include "config.h"
#include <string.h>
#include <locale.h>
#include "usc-match.h"
#include "usc-bounce-tables.h"

/* ---- the reference answers ---- */

static char *
lower_copy (const char *s)
{
  char *r = g_strdup (s);
  for (char *p = r; *p; p++)
    *p = g_ascii_tolower (*p);
  return r;
}

/* Is @p lower-case ASCII (so that strcasestr() must agree with the folded
 * scan)? */
static gboolean
lower_ascii (const char *p)
{
  for (; *p; p++)
    if ((guchar) *p >= 0x80 || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* An occurrence found by strstr(), ordered as usc_match_all_folded() gives
 * them: by offset, the patterns of four bytes or more before the shorter
 * ones, each group in table order. */
typedef struct {
  gsize pos;
  int group;
  guint idx;
  guint32 len;
} Want;

static gint
want_cmp (gconstpointer a, gconstpointer b)
{
  const Want *x = a, *y = b;
  if (x->pos != y->pos)
    return x->pos < y->pos ? -1 : 1;
  if (x->group != y->group)
    return x->group - y->group;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* usc_match_all[_folded] (@m, @hay) against repeated strstr() on @ref (@hay
 * itself, or its lower-cased copy when @fold). */
static void
check_all (const char *what, const UscMatch *m, const char *const *pat, guint n, const char *hay, const char *ref,
           gboolean fold)
{
  gsize len = strlen (hay);
  GArray *occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  if (fold)
    usc_match_all_folded (m, hay, len, occ);
  else
    usc_match_all (m, hay, len, occ);
  GArray *want = g_array_new (FALSE, FALSE, sizeof (Want));
  for (guint i = 0; i < n; i++)
    for (const char *s = strstr (ref, pat[i]); s != NULL; s = strstr (s + 1, pat[i])) {
      Want w = { (gsize) (s - ref), strlen (pat[i]) >= 4 ? 0 : 1, i, (guint32) strlen (pat[i]) };
      g_array_append_val (want, w);
    }
  g_array_sort (want, want_cmp);
  for (guint k = 0; k < want->len && k < occ->len; k++) {
    const Want *w = &g_array_index (want, Want, k);
    const UscMatchOcc *o = &g_array_index (occ, UscMatchOcc, k);
    if (o->pos != w->pos || o->len != w->len || o->idx != w->idx)
      g_error ("%s: %soccurrence %u: pattern %u at %" G_GSIZE_FORMAT ", strstr says \"%s\" at %" G_GSIZE_FORMAT, what,
               fold ? "folded " : "", k, o->idx, o->pos, pat[w->idx], w->pos);
  }
  g_assert_cmpuint (want->len, ==, occ->len);
  g_array_unref (want);
  g_array_unref (occ);
}

/* Every answer of @m over @hay against strstr()/strcasestr(). */
static void
check_text (const char *what, const char *const *pat, guint n, const char *hay)
{
  UscMatch *m = usc_match_new (pat, n);
  gsize len = strlen (hay);
  char *lc = lower_copy (hay);
  gssize *first = g_new (gssize, n ? n : 1);
  gssize best = usc_match_first_each (m, hay, len, first);
  gssize want_best = -1, want_best_f = -1;
  for (guint i = 0; i < n; i++) {
    const char *s = strstr (hay, pat[i]);
    gssize want = s ? s - hay : -1;
    if (first[i] != want)
      g_error ("%s: pattern %u \"%s\": %" G_GSSIZE_FORMAT ", strstr says %" G_GSSIZE_FORMAT, what, i, pat[i],
               first[i], want);
    if (want >= 0 && (want_best < 0 || want < want_best))
      want_best = want;
  }
  g_assert_cmpint (best, ==, want_best);
  g_assert_cmpint (usc_match_any (m, hay, len), ==, want_best >= 0);

  best = usc_match_first_each_folded (m, hay, len, first);
  for (guint i = 0; i < n; i++) {
    const char *s = strstr (lc, pat[i]);
    gssize want = s ? s - lc : -1;
    if (first[i] != want)
      g_error ("%s: folded pattern %u \"%s\": %" G_GSSIZE_FORMAT ", strstr on a lower-cased copy says %" G_GSSIZE_FORMAT,
               what, i, pat[i], first[i], want);
    if (lower_ascii (pat[i])) {
      const char *cs = strcasestr (hay, pat[i]);
      g_assert_cmpint (cs ? cs - hay : -1, ==, want);
    }
    if (want >= 0 && (want_best_f < 0 || want < want_best_f))
      want_best_f = want;
  }
  g_assert_cmpint (best, ==, want_best_f);
  g_assert_cmpint (usc_match_first_folded (m, hay, len), ==, want_best_f);

  if (!usc_match_has_short (m)) {
    check_all (what, m, pat, n, hay, lc, TRUE);
    check_all (what, m, pat, n, hay, hay, FALSE);
  }
  g_free (first);
  g_free (lc);
  usc_match_free (&m);
  g_assert_null (m);
}

/* ---- hand-made cases: lengths 0..5, ends of text, overlaps, case, high bytes ---- */

static const char *const edge_pat[] = { "abcd", "abc", "ab", "a", "bcd", "cdab", "zz", "héllo", "d", "abcde" };
static const char *const edge_pat_long[] = { "abcd", "bcda", "xyz", "xy", "dddd", "\xc1\xc2\xc3\xc4" };
static const char *const edge_empty[] = { "", "q" };

static const char *const edge_texts[] = {
  "", "a", "ab", "abc", "abcd", "abcdabcd", "ABCDabcd", "xxabcde", "zzz", "HéLLO héllo", "xyzXYZxy",
  "ddddddd", "bcdabc", "\xc1\xc2\xc3\xc4", "\xe1\xe2\xe3\xe4", "a\xc1\xc2\xc3\xc4z", "[\\]^_`{|}~@ABCD", "cdabcd",
};

static void
test_edges (void)
{
  for (guint t = 0; t < G_N_ELEMENTS (edge_texts); t++) {
    check_text ("edge", edge_pat, G_N_ELEMENTS (edge_pat), edge_texts[t]);
    check_text ("edge-long", edge_pat_long, G_N_ELEMENTS (edge_pat_long), edge_texts[t]);
    check_text ("edge-empty", edge_empty, G_N_ELEMENTS (edge_empty), edge_texts[t]);
    check_text ("no patterns", edge_pat, 0, edge_texts[t]);
  }
}

static void
test_table_cache (void)
{
  const UscMatch *a = usc_match_table (edge_pat, G_N_ELEMENTS (edge_pat));
  const UscMatch *b = usc_match_table (edge_pat, G_N_ELEMENTS (edge_pat));
  g_assert_nonnull (a);
  g_assert_true (a == b);
  g_assert_cmpuint (usc_match_size (a), ==, G_N_ELEMENTS (edge_pat));
  g_assert_true (usc_match_table (edge_pat, 3) != a);
  usc_match_free (NULL);
}

/* ---- every table of the bounce analysis over every fixture ---- */

typedef struct {
  const char *name;
  GPtrArray *pat;  /* const char * (static) */
} Table;

static GPtrArray *tables;  /* Table * */
static GPtrArray *texts;   /* char *: fixture contents (up to the first NUL) */

static void
add_table (const char *name, const char *const *tab, gsize n)
{
  Table *t = g_new0 (Table, 1);
  t->name = name;
  t->pat = g_ptr_array_new ();
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (t->pat, (gpointer) tab[i]);
  g_ptr_array_add (tables, t);
}

#define TAB(x) add_table (#x, x, G_N_ELEMENTS (x))
/* a column of a table of structures */
#define COL(x, f)                                                       \
  do {                                                                  \
    static const char *col_[G_N_ELEMENTS (x)];                          \
    for (gsize i_ = 0; i_ < G_N_ELEMENTS (x); i_++)                     \
      col_[i_] = x[i_].f ? x[i_].f : "";                                \
    add_table (#x "." #f, col_, G_N_ELEMENTS (x));                      \
  } while (0)

static void
all_tables (void)
{
  tables = g_ptr_array_new ();
  TAB (daemon_local_parts); TAB (weak_daemon_local_parts); TAB (daemon_local_prefixes);
  TAB (daemon_display_names); TAB (dsn_subjects); COL (dsn_body_markers, needle); TAB (failure_words);
  TAB (recipient_keys); TAB (recipient_phrases); TAB (recipient_key_exclusions); TAB (separator_words);
  TAB (separator_exclusions); TAB (copy_separators); TAB (autoreply_subject_prefixes);
  TAB (autoreply_subject_stems); TAB (autoreply_stem_exclusions); TAB (autoreply_subject_tokens);
  TAB (autoreply_subject_phrases); TAB (autoreply_subject_weak_prefixes); TAB (autoreply_body_markers);
  COL (autoreply_headers, name); COL (autoreply_headers, value); TAB (challenge_subjects);
  TAB (challenge_body_markers); TAB (challenge_headers); TAB (challenge_message_words);
  TAB (challenge_hold_words); TAB (challenge_not_markers); TAB (virus_subjects); TAB (virus_body_markers);
  TAB (virus_context_markers); TAB (virus_local_parts); TAB (virus_display_names); TAB (forward_markers);
  TAB (reporting_host_markers); TAB (human_subject_prefixes); TAB (human_headers); TAB (list_headers);
  COL (mta_signatures, needle); COL (mta_signatures, family); COL (body_id_keys, key);
  TAB (challenge_header_prefixes); COL (challenge_header_values, name); COL (challenge_header_values, value);
  TAB (challenge_url_words); TAB (challenge_reply_to_words); TAB (challenge_reply_instructions);
  TAB (malware_platforms); TAB (malware_types); TAB (malware_bare_prefixes); TAB (malware_clamav_platforms);
  TAB (malware_clamav_categories); TAB (virus_header_verdicts); TAB (virus_header_clean);
  TAB (exchange_rule_headers); TAB (file_extensions); TAB (feedback_recipient_fields);
  TAB (feedback_copy_recipient_headers);
}

static void
read_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  const char *e;
  while ((e = g_dir_read_name (d)) != NULL) {
    char *p = g_build_filename (dir, e, NULL);
    char *data = NULL;
    gsize len = 0;
    if (g_file_test (p, G_FILE_TEST_IS_DIR))
      read_dir (p);
    else if (g_str_has_suffix (e, ".eml") && g_file_get_contents (p, &data, &len, NULL))
      g_ptr_array_add (texts, data);  /* read as a C string: up to its first NUL */
    g_free (p);
  }
  g_dir_close (d);
}

static void
test_tables_over_fixtures (void)
{
  const char *top = g_getenv ("top_srcdir");
  if (top == NULL)
    top = ".";
  texts = g_ptr_array_new_with_free_func (g_free);
  char *f = g_build_filename (top, "fixtures", NULL);
  char *h = g_build_filename (top, "tests", "heldout", NULL);
  read_dir (f);
  read_dir (h);
  g_free (f);
  g_free (h);
  g_assert_cmpuint (texts->len, >, 100);
  guint n = 0;
  for (guint t = 0; t < tables->len; t++) {
    Table *tb = tables->pdata[t];
    for (guint k = 0; k < texts->len; k++) {
      check_text (tb->name, (const char *const *) tb->pat->pdata, tb->pat->len, texts->pdata[k]);
      n++;
    }
  }
  g_test_message ("%u tables x %u texts compared", tables->len, texts->len);
  g_assert_cmpuint (n, ==, tables->len * texts->len);
  g_ptr_array_unref (texts);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);
  all_tables ();
  g_test_add_func ("/match/edges", test_edges);
  g_test_add_func ("/match/table-cache", test_table_cache);
  g_test_add_func ("/match/tables-over-fixtures", test_tables_over_fixtures);
  int r = g_test_run ();
  for (guint t = 0; t < tables->len; t++) {
    Table *tb = tables->pdata[t];
    g_ptr_array_unref (tb->pat);
    g_free (tb);
  }
  g_ptr_array_unref (tables);
  return r;
}
