/* test-match.c — unit tests for usc-match (GTest): the multi-pattern matcher
 * gives exactly the answers of one strstr() per pattern (and of strstr() on a
 * lower-cased copy, i.e. strcasestr() for lower-case patterns, when folded),
 * for small hand-made cases and for every table of the bounce analysis over
 * the text of every message under fixtures/ and tests/heldout/; and the
 * same for the combined index of the notice's text (usc-bounce-index.c:
 * one pass for all its tables) and the copy separators it puts together
 * for the whole text. */
#include "config.h"
#include <string.h>
#include <locale.h>
#include "usc-match.h"
#include "usc-bounce-private.h"
#include "usc-lang.h"

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

/* ---- one index over several tables (usc_match_new_tables, usc_match_scan) ---- */

/* usc_match_scan (@m) over @hay against strstr() for every pattern, and the
 * occurrences of every @every table against usc_match_all() of that table
 * alone (itself checked against strstr() above). */
static void
check_scan (const char *what, const UscMatch *m, const char *hay)
{
  gsize len = strlen (hay);
  guint n = usc_match_size (m);
  UscMatchHits hits;
  usc_match_hits_init (&hits, m);
  GArray *occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  usc_match_scan (m, hay, len, &hits, occ);
  for (guint i = 0; i < n; i++) {
    const char *s = strstr (hay, usc_match_pattern (m, i));
    gssize want = s ? s - hay : -1;
    if (usc_match_hit (&hits, i) != want)
      g_error ("%s: pattern %u \"%s\": %" G_GSSIZE_FORMAT ", strstr says %" G_GSSIZE_FORMAT, what, i,
               usc_match_pattern (m, i), usc_match_hit (&hits, i), want);
  }
  guint every_occ = 0;
  for (guint t = 0; t < usc_match_n_tabs (m); t++) {
    guint off = usc_match_tab_off (m, t), tn = usc_match_tab_size (m, t);
    GArray *mine = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
    usc_match_occ_of_tabs (m, occ, t, 1, mine);
    const char **pat = g_new (const char *, tn ? tn : 1);
    for (guint k = 0; k < tn; k++)
      pat[k] = usc_match_pattern (m, off + k);
    UscMatch *alone = usc_match_new (pat, tn);
    GArray *want = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
    /* an @every table: what usc_match_all gives; the others: nothing */
    if (usc_match_tab_every (m, t))
      usc_match_all (alone, hay, len, want);
    g_assert_cmpuint (mine->len, ==, want->len);
    for (guint k = 0; k < want->len; k++) {
      const UscMatchOcc *a = &g_array_index (mine, UscMatchOcc, k), *b = &g_array_index (want, UscMatchOcc, k);
      if (a->pos != b->pos || a->idx != b->idx || a->len != b->len)
        g_error ("%s: table %u occurrence %u: %u at %" G_GSIZE_FORMAT ", alone %u at %" G_GSIZE_FORMAT, what, t, k,
                 a->idx, a->pos, b->idx, b->pos);
    }
    every_occ += mine->len;
    g_array_unref (want);
    usc_match_free (&alone);
    g_free (pat);
    g_array_unref (mine);
  }
  g_assert_cmpuint (every_occ, ==, occ->len);
  g_array_unref (occ);
  usc_match_hits_clear (&hits);
  usc_match_hits_clear (&hits);  /* twice: a cleared one is no longer freed */
  usc_match_hits_clear (NULL);
}

/* Hand-made tables, one of them @every, over the edge texts. */
static void
test_tables_edges (void)
{
  const UscMatchTab tabs[] = {
    { edge_pat_long, G_N_ELEMENTS (edge_pat_long), TRUE },
    { edge_pat, G_N_ELEMENTS (edge_pat), FALSE },
    { edge_empty, G_N_ELEMENTS (edge_empty), FALSE },
    { edge_pat_long, 3, TRUE },  /* the same patterns twice: both answer */
    { edge_pat, 0, TRUE },
  };
  UscMatch *m = usc_match_new_tables (tabs, G_N_ELEMENTS (tabs));
  g_assert_cmpuint (usc_match_n_tabs (m), ==, G_N_ELEMENTS (tabs));
  g_assert_cmpuint (usc_match_tab_off (m, 1), ==, G_N_ELEMENTS (edge_pat_long));
  g_assert_cmpuint (usc_match_tab_size (m, 3), ==, 3);
  g_assert_cmpuint (usc_match_tab_size (m, 4), ==, 0);
  g_assert_true (usc_match_tab_every (m, 0) && !usc_match_tab_every (m, 1) && usc_match_tab_every (m, 3));
  for (guint t = 0; t < G_N_ELEMENTS (edge_texts); t++)
    check_scan ("tables-edge", m, edge_texts[t]);
  usc_match_free (&m);
  UscMatch *one = usc_match_new (edge_pat, 4);
  g_assert_cmpuint (usc_match_n_tabs (one), ==, 1);
  g_assert_cmpuint (usc_match_tab_size (one, 0), ==, 4);
  usc_match_free (&one);
}

/* Is no pattern of table @t of @m shorter than two bytes or holding a line
 * end (what usc-bounce-index.c's reasoning needs of its @every tables)? */
static void
assert_line_patterns (const UscMatch *m, guint t)
{
  guint off = usc_match_tab_off (m, t);
  for (guint k = 0; k < usc_match_tab_size (m, t); k++) {
    const char *p = usc_match_pattern (m, off + k);
    if (strlen (p) < 2 || strchr (p, '\n'))
      g_error ("notice index table %u: pattern \"%s\" is shorter than two bytes or holds a line end", t, p);
  }
}

/* The notice index over every fixture's text, as is and as the analysis
 * reads it (lower-cased, quoted lines left out); and the copy separators of
 * the whole text put together from its scan against one search of them. */
static void
test_notice_index (void)
{
  const UscMatch *m = usc_notice_index ();
  g_assert_cmpuint (usc_match_n_tabs (m), ==, USC_TT_N);
  g_assert_cmpuint (usc_match_tab_size (m, USC_TT_COPY_SEPARATORS), ==, G_N_ELEMENTS (copy_separators));
  g_assert_cmpuint (usc_match_tab_size (m, USC_TT_DSN_MARKERS), ==, G_N_ELEMENTS (dsn_body_markers));
  g_assert_cmpuint (usc_match_tab_size (m, USC_TT_MTA_SIGS), ==, G_N_ELEMENTS (mta_signatures));
  assert_line_patterns (m, USC_TT_COPY_SEPARATORS);
  assert_line_patterns (m, USC_TT_LANG_SEPARATOR);
  for (guint t = USC_TT_MALWARE; t < USC_TT_N; t++)
    assert_line_patterns (m, t);
  UscMatch *sep = usc_match_new (copy_separators, G_N_ELEMENTS (copy_separators));
  const char *top = g_getenv ("top_srcdir");
  texts = g_ptr_array_new_with_free_func (g_free);
  char *f = g_build_filename (top ? top : ".", "fixtures", NULL);
  char *h = g_build_filename (top ? top : ".", "tests", "heldout", NULL);
  read_dir (f);
  read_dir (h);
  g_free (f);
  g_free (h);
  /* and texts made to cross the scan's limits: quoted separators, one past SCAN_MAX */
  g_ptr_array_add (texts, g_strdup ("notice\n> ----- Original Message -----\n  >> original message follows\n"
                                    "----- ORIGINAL MESSAGE -----\nFrom: a@b\n"));
  GString *big = g_string_new (NULL);
  while (big->len < SCAN_MAX + 200)
    g_string_append (big, "filler text, no separator here at all ------------------------------\n");
  g_string_append (big, "> quoted line\n--- Original message follows\nlast line without its end: copy of the message");
  g_ptr_array_add (texts, g_string_free (big, FALSE));
  guint nsep = 0;
  for (guint k = 0; k < texts->len; k++) {
    const char *text = texts->pdata[k];
    check_scan ("notice index", m, text);
    NoticeText t = { 0 };
    t.text = g_string_new (text);
    Evidence e = { 0 };
    e.scan_lc = usc_unquoted_lower (t.text->str, SCAN_MAX);
    if (strlen (e.scan_lc) < 100000)
      check_scan ("notice index, scan_lc", m, e.scan_lc);
    usc_notice_scan (&e, &t);
    GArray *want = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
    usc_match_all_folded (sep, t.text->str, t.text->len, want);
    const GArray *got = usc_text_separators (&t);
    g_assert_true (got == t.sep_occ);
    g_assert_cmpuint (got->len, ==, want->len);
    for (guint j = 0; j < want->len; j++) {
      const UscMatchOcc *a = &g_array_index (got, UscMatchOcc, j), *b = &g_array_index (want, UscMatchOcc, j);
      g_assert_cmpuint (a->pos, ==, b->pos);
      g_assert_cmpuint (a->idx, ==, b->idx);
      g_assert_cmpuint (a->len, ==, b->len);
    }
    nsep += want->len;
    /* the text grown since the scan: found again, the same as one search */
    g_string_append (t.text, "\n----- original message -----\n");
    g_array_set_size (want, 0);
    usc_match_all_folded (sep, t.text->str, t.text->len, want);
    g_assert_cmpuint (usc_text_separators (&t)->len, ==, want->len);
    g_array_unref (want);
    usc_notice_scan_clear (&e);
    g_free (e.scan_lc);
    g_string_free (t.text, TRUE);
    g_array_unref (t.sep_occ);
  }
  g_assert_cmpuint (nsep, >, 10);
  g_test_message ("%u texts, %u copy separators", texts->len, nsep);
  usc_match_free (&sep);
  g_ptr_array_unref (texts);
}

/* ---- usc_lang_fold (the text the src/lang tables are searched in) ---- */

/* usc_lang_fold() against what it must give: GLib's fold of the whole text
 * (it folds by runs), over every fixture and texts made for its edges. */
static void
check_fold (const char *text, gssize len)
{
  gsize n = len < 0 ? strlen (text) : (gsize) len;
  char *valid = g_utf8_make_valid (text, (gssize) n);
  char *want = g_utf8_strdown (valid, -1);
  char *got = usc_lang_fold (text, len);
  if (strcmp (got, want) != 0)
    g_error ("usc_lang_fold differs from g_utf8_strdown (g_utf8_make_valid ()) on \"%.60s\"", text);
  g_free (got);
  g_free (want);
  g_free (valid);
}

static void
test_lang_fold (void)
{
  static const char *const edges[] = {
    "", "A", "ABC def", "\xce\xa3", "\xce\xa3" "a", "\xce\xa3 a", "A\xce\xa3" "B", "\xce\xa3\xce\xa3\xce\xa3.",
    "I", "J", "IJ i j", "I\xcc\x87", "\xc4\xb0stanbul", "\xc3\x89" "CHEC de la remise", "\xff\xfe A \xe2\x82",
    "\xe2\x82 X", "\xd0\x9d\xd0\x95 \xd0\x94\xd0\x9e\xd0\xa1\xd0\xa2\xd0\x90\xd0\x92\xd0\x9b\xd0\x95\xd0\x9d\xd0\x9e",
    "\xd0\x9d\xd0\xb5 sixteen plain bytes here \xd0\x9d\xd0\x95", "\xce\xa3                \xce\xa3",
    "\xce\xa3               x", "x\xce\xa3", "\xe1\xba\x9e\xc3\x9f", "\xc7\x85 \xc7\x88",
  };
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    check_fold (edges[i], -1);
  check_fold ("a\0\xce\xa3" "B\0" "C", 7);  /* NUL bytes within @len: U+FFFD, as GLib */
  /* GLib's Turkic and Lithuanian rules ('I', 'J'), where those locales exist */
  static const char *const locales[] = { "tr_TR.UTF-8", "az_AZ.UTF-8", "lt_LT.UTF-8" };
  for (guint l = 0; l < G_N_ELEMENTS (locales); l++)
    if (setlocale (LC_ALL, locales[l]) != NULL) {
      for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
        check_fold (edges[i], -1);
      g_test_message ("folded in %s too", locales[l]);
    }
  setlocale (LC_ALL, "C");
  const char *top = g_getenv ("top_srcdir");
  texts = g_ptr_array_new_with_free_func (g_free);
  char *f = g_build_filename (top ? top : ".", "fixtures", NULL);
  char *h = g_build_filename (top ? top : ".", "tests", "heldout", NULL);
  read_dir (f);
  read_dir (h);
  g_free (f);
  g_free (h);
  for (guint k = 0; k < texts->len; k++)
    check_fold (texts->pdata[k], -1);
  g_test_message ("%u texts folded", texts->len);
  g_ptr_array_unref (texts);
}

/* usc_ascii_lower_copy() is g_ascii_strdown() of the bytes: every byte
 * value at every offset of every length up to 24, among the letters and
 * their neighbours ('@', '[', '`', '{'). */
static void
test_ascii_lower_copy (void)
{
  static const char fill[] = "AZaz@[`{09 Mm";
  char src[25], dst[25];
  for (gsize n = 0; n <= 24; n++)
    for (gsize at = 0; at < MAX (n, 1); at++)
      for (int c = 1; c < 256; c++) {
        for (gsize i = 0; i < n; i++)
          src[i] = fill[(i * 7 + at) % (sizeof fill - 1)];
        if (at < n)
          src[at] = (char) c;
        src[n] = '\0';
        memset (dst, 0, sizeof dst);
        usc_ascii_lower_copy (dst, src, n);
        char *want = g_ascii_strdown (src, (gssize) n);
        g_assert_cmpmem (dst, n, want, n);
        g_free (want);
      }
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
  g_test_add_func ("/match/combined-edges", test_tables_edges);
  g_test_add_func ("/match/notice-index", test_notice_index);
  g_test_add_func ("/match/lang-fold", test_lang_fold);
  g_test_add_func ("/match/ascii-lower-copy", test_ascii_lower_copy);
  int r = g_test_run ();
  for (guint t = 0; t < tables->len; t++) {
    Table *tb = tables->pdata[t];
    g_ptr_array_unref (tb->pat);
    g_free (tb);
  }
  g_ptr_array_unref (tables);
  return r;
}
