/* gen-match-data.c — writes usc-match-data.c: the usc-match indexes of the
 * bounce analysis's big tables (usc-match-data.h) as C arrays, built here
 * once with usc_match_new_tables() from the tables themselves, so that no
 * process builds them at run time. Run by make (Makefile.am); the output is
 * the same on every machine (usc-match reads four bytes the same way on
 * any byte order). Usage: gen-match-data > usc-match-data.c
 */
#include "config.h"
#include "usc-match-private.h"
#include "usc-bounce-private.h"
#include "usc-lang.h"

#include <stdio.h>

/* @s as a C string literal (octal escapes of three digits: never read on
 * into a following digit). */
static void
put_string (FILE *o, const char *s)
{
  fputc ('"', o);
  for (const guchar *p = (const guchar *) s; *p; p++) {
    if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '?')
      fputc (*p, o);
    else
      fprintf (o, "\\%03o", *p);
  }
  fputc ('"', o);
}

static void
put_u32 (FILE *o, const char *type, const char *name, const char *what, const guint32 *v, gsize n)
{
  fprintf (o, "static const %s %s_%s[%" G_GSIZE_FORMAT "] = {", type, name, what, n);
  for (gsize i = 0; i < n; i++)
    fprintf (o, "%s%u,", i % 12 ? " " : "\n  ", v[i]);
  fprintf (o, "\n};\n");
}

/* Only the slots that are set: the filter is mostly empty. */
static void
put_sparse (FILE *o, const char *name, const char *what, const guint8 *v, gsize n)
{
  fprintf (o, "static const guint8 %s_%s[%" G_GSIZE_FORMAT "] = {", name, what, n);
  guint k = 0;
  for (gsize i = 0; i < n; i++)
    if (v[i])
      fprintf (o, "%s[%" G_GSIZE_FORMAT "] = %u,", k++ % 8 ? " " : "\n  ", i, v[i]);
  if (k == 0)
    fprintf (o, " 0");
  fprintf (o, "\n};\n");
}

/* @m as the static index @name (its arrays, then the structure). */
static void
put_index (FILE *o, const char *name, const UscMatch *m)
{
  gsize nn = m->n ? m->n : 1;
  fprintf (o, "\n/* %s: %u patterns in %u tables */\n", name, m->n, m->ntabs);
  /* the patterns in one string, each ended by a NUL: no pointer to relocate per pattern */
  gsize pool_len = 0;
  for (guint i = 0; i < m->n; i++)
    pool_len += strlen (PAT (m, i)) + 1;
  fprintf (o, "static const char %s_pool[%" G_GSIZE_FORMAT "] =", name, pool_len + 1);
  for (guint i = 0; i < m->n; i++) {
    fprintf (o, "\n  ");
    put_string (o, PAT (m, i));
    fprintf (o, " \"\\000\"");
  }
  if (m->n == 0)
    fprintf (o, " \"\"");
  fprintf (o, ";\n");
  put_u32 (o, "guint32", name, "pat_off", m->pat_off, nn);
  put_sparse (o, name, "pairs", m->pairs, (gsize) m->pmask + 1);
  put_u32 (o, "guint32", name, "len", m->len, nn);
  put_u32 (o, "guint32", name, "w4", m->w4, nn);
  put_u32 (o, "guint32", name, "next", m->next, nn);
  put_u32 (o, "guint32", name, "head4", m->head4, (gsize) 1 << (32 - m->shift4));
  put_u32 (o, "guint32", name, "head2", m->head2, (gsize) m->mask2 + 1);
  put_u32 (o, "guint", name, "short_idx", m->short_idx, nn);
  put_u32 (o, "guint", name, "tab_off", m->tab_off, (gsize) m->ntabs + 1);
  if (m->every)
    put_sparse (o, name, "every", m->every, nn);
  fprintf (o, "const UscMatch %s = {\n", name);
  fprintf (o, "  .n = %u, .pool = %s_pool, .pat_off = %s_pat_off, .len = %s_len, .w4 = %s_w4, .next = %s_next,\n",
           m->n, name, name, name, name, name);
  fprintf (o, "  .head4 = %s_head4, .shift4 = %u, .head2 = %s_head2, .mask2 = %u,\n", name, m->shift4, name,
           m->mask2);
  fprintf (o, "  .pairs = %s_pairs, .pmask = %u, .n2 = %u, .n_short = %u, .short_idx = %s_short_idx,\n", name,
           m->pmask, m->n2, m->n_short, name);
  if (m->every)
    fprintf (o, "  .every = %s_every,\n", name);
  fprintf (o, "  .ntabs = %u, .tab_off = %s_tab_off, .is_static = TRUE,\n};\n", m->ntabs, name);
}

int
main (void)
{
  FILE *o = stdout;
  UscMatchTab tabs[USC_TT_N];
  usc_notice_tabs (tabs);
  fprintf (o, "/* usc-match-data.c — written by src/gen-match-data (make) from the tables\n"
              " * of the bounce analysis and src/lang: do not edit. See usc-match-data.h. */\n"
              "#include \"config.h\"\n#include \"usc-match-private.h\"\n#include \"usc-match-data.h\"\n");
  struct {
    const char *name;
    const UscMatchTab *tabs;
    guint ntabs;
  } out[] = {
    { "usc_match_data_notice", tabs, USC_TT_N },
    { "usc_match_data_lang", &tabs[USC_TT_LANG_TEXT], 2 },
    { "usc_match_data_sep", &tabs[USC_TT_COPY_SEPARATORS], 1 },
    { "usc_match_data_malware", &tabs[USC_TT_MALWARE], MAL_NTABS },
  };
  G_STATIC_ASSERT (USC_TT_LANG_SEPARATOR == USC_TT_LANG_TEXT + 1);
  for (gsize k = 0; k < G_N_ELEMENTS (out); k++) {
    UscMatch *m = usc_match_new_tables (out[k].tabs, out[k].ntabs);
    put_index (o, out[k].name, m);
    usc_match_free (&m);
  }
  return fflush (o) == 0 && !ferror (o) ? 0 : 1;
}
