/* usc-bounce.c — is this message a bounce, of what kind, from which MTA, and
 * what does it say about the ORIGINAL message?
 *
 * Follows RFC 3464 / RFC 6522 (delivery status notifications in
 * multipart/report), RFC 6533 (message/global, message/global-headers,
 * message/global-delivery-status), RFC 3834 (Auto-Submitted, auto-replies),
 * RFC 5965 (ARF feedback reports), RFC 3463 (status codes), RFC 5321 (reply
 * codes, null reverse-path) and RFC 5322 (Message-ID, In-Reply-To,
 * References). Non-standard bounces (Exim, qmail, Sendmail, Exchange, Gmail,
 * ...) are recognised from general evidence, combined by scores: the sender
 * (null reverse-path, MAILER-DAEMON / postmaster, daemon display names), the
 * subject, MTA boilerplate in the text, a returned copy of the original, and
 * signs of a human author (Fwd:/Re: subjects, User-Agent, mailing lists)
 * against. The patterns live in usc-bounce-tables.h.
 *
 * Steps (usc_bounce_analyze): gather_headers -> walk (the MIME tree, with
 * the limits of UscMessage: depth, parts, deadline; returned originals,
 * delivery-status parts and the notice's own text are collected; the inside
 * of a returned original is only looked at for payloads) -> gather_evidence
 * (scores) -> decide_kind -> for bounces: collect_ids (ranked sources; never
 * the bounce's own Message-ID, unless a returned copy of the original names
 * it as its own), collect_original, collect_report_failures /
 * collect_text_failures, collect_family. Attachments are sniffed (libmagic)
 * only once the message is known to be a bounce. Text is scanned with plain
 * substring searches (lower-cased or read case-folded), no regular
 * expressions; a table is searched in one pass over the text (see
 * usc-match.h), with exactly the results of one strstr() per
 * entry.
 */
#include "config.h"
#include "usc-bounce.h"
#include "usc-dsn.h"
#include "usc-sniff.h"
#include "usc-bounce-tables.h"
#include "usc-match.h"

#include <string.h>

#define TEXT_MAX (512 * 1024)     /* text kept per part */
#define SCAN_MAX (256 * 1024)     /* text scanned for markers */
#define SNIFF_MAX (64 * 1024)     /* bytes handed to libmagic */

const char *
usc_kind_name (UscKind kind)
{
  static const char *const names[] = { "not-bounce", "dsn", "autoreply", "challenge",
                                       "virus-notice", "feedback-report" };
  return (guint) kind < G_N_ELEMENTS (names) ? names[kind] : "not-bounce";
}

UscBounce *
usc_bounce_new (void)
{
  UscBounce *b = g_new0 (UscBounce, 1);
  b->message_ids = g_ptr_array_new_with_free_func (g_free);
  b->id_sources = g_ptr_array_new_with_free_func (g_free);
  b->recipients = g_ptr_array_new_with_free_func (g_free);
  b->status = g_ptr_array_new_with_free_func (g_free);
  b->diagnostics = g_ptr_array_new_with_free_func (g_free);
  b->payload_types = g_ptr_array_new_with_free_func (g_free);
  b->notes = g_ptr_array_new_with_free_func (g_free);
  return b;
}

void
usc_bounce_free (UscBounce **bounce)
{
  if (bounce == NULL || *bounce == NULL)
    return;
  UscBounce *b = *bounce;
  g_ptr_array_unref (b->message_ids);
  g_ptr_array_unref (b->id_sources);
  g_ptr_array_unref (b->recipients);
  g_ptr_array_unref (b->status);
  g_ptr_array_unref (b->diagnostics);
  g_ptr_array_unref (b->payload_types);
  g_ptr_array_unref (b->notes);
  g_free (b->envelope_id);
  g_free (b->envelope_sender);
  g_free (b->subject);
  g_free (b->date);
  g_free (b->bounce_date);
  g_free (b->reporting_mta);
  g_free (b->mta_family);
  g_free (b);
  *bounce = NULL;
}

/* ---- small string helpers ---- */

#define N(a) G_N_ELEMENTS (a)

/* g_ascii_tolower(), inline. */
static inline char
ascii_lc (char c)
{
  return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
}

static char *
ascii_lower_n (const char *s, gsize n)
{
  char *r = g_malloc (n + 1);
  for (gsize i = 0; i < n; i++)
    r[i] = g_ascii_tolower (s[i]);
  r[n] = '\0';
  return r;
}

static gboolean table_may_contain (const char *const *tab, gsize n, const char *hay);

static gboolean
contains_any (const char *hay, const char *const *tab, gsize n, const char **hit_r)
{
  if (hay == NULL || *hay == '\0')
    return FALSE;
  /* the index answers "none" in one pass; the first hit in table order (the
   * rare case) is then found as before */
  if (!table_may_contain (tab, n, hay))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (strstr (hay, tab[i])) {
      if (hit_r)
        *hit_r = tab[i];
      return TRUE;
    }
  return FALSE;
}

/* g_str_has_prefix(), inline. */
static inline gboolean
has_prefix (const char *s, const char *prefix)
{
  while (*prefix)
    if (*s++ != *prefix++)
      return FALSE;
  return TRUE;
}

static gboolean
prefix_any (const char *s, const char *const *tab, gsize n, const char **hit_r)
{
  if (s == NULL)
    return FALSE;
  while (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'')
    s++;
  for (gsize i = 0; i < n; i++)
    if (has_prefix (s, tab[i])) {
      if (hit_r)
        *hit_r = tab[i];
      return TRUE;
    }
  return FALSE;
}

/* FALSE when no entry of @tab occurs in @hay (NUL-terminated); TRUE when
 * one does, or when the table has no index. */
static gboolean
table_may_contain (const char *const *tab, gsize n, const char *hay)
{
  const UscMatch *m = usc_match_table (tab, n);
  return m == NULL || usc_match_any (m, hay, strlen (hay));
}

/* All the tables searched in a message's own text (Evidence.scan_lc), in one
 * index: entry tabs[k] occupies [off, off + n). */
typedef struct {
  gconstpointer tab;
  guint n, off;
} MultiTab;

static const char *const scan_literals[] = { "final-recipient:", "reporting-mta:", "http://", "https://" };

typedef struct {
  UscMatch *m;
  MultiTab tabs[16];
  guint ntabs;
  guint markers_off;  /* dsn_body_markers[i].needle */
  guint sigs_off;     /* mta_signatures[i].needle */
} TextMatcher;

static void
tm_add (GPtrArray *pats, TextMatcher *tm, const char *const *tab, guint n)
{
  g_assert (tm->ntabs < G_N_ELEMENTS (tm->tabs));
  tm->tabs[tm->ntabs++] = (MultiTab) { tab, n, pats->len };
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (pats, (gpointer) tab[i]);
}

static const TextMatcher *
text_matcher (void)
{
  static TextMatcher tm;
  static gsize done = 0;
  if (g_once_init_enter (&done)) {
    GPtrArray *pats = g_ptr_array_new ();
    tm_add (pats, &tm, scan_literals, N (scan_literals));
    tm_add (pats, &tm, copy_separators, N (copy_separators));
    tm_add (pats, &tm, virus_body_markers, N (virus_body_markers));
    tm_add (pats, &tm, forward_markers, N (forward_markers));
    tm_add (pats, &tm, autoreply_body_markers, N (autoreply_body_markers));
    tm_add (pats, &tm, challenge_body_markers, N (challenge_body_markers));
    tm_add (pats, &tm, challenge_message_words, N (challenge_message_words));
    tm_add (pats, &tm, challenge_hold_words, N (challenge_hold_words));
    tm_add (pats, &tm, challenge_not_markers, N (challenge_not_markers));
    tm_add (pats, &tm, virus_context_markers, N (virus_context_markers));
    tm.markers_off = pats->len;
    for (guint i = 0; i < N (dsn_body_markers); i++)
      g_ptr_array_add (pats, (gpointer) dsn_body_markers[i].needle);
    tm.sigs_off = pats->len;
    /* only the SIG_BODY ones are looked up (an empty stand-in costs nothing) */
    for (guint i = 0; i < N (mta_signatures); i++)
      g_ptr_array_add (pats, (gpointer) (mta_signatures[i].where == SIG_BODY ? mta_signatures[i].needle : ""));
    guint n = pats->len;
    tm.m = usc_match_new ((const char **) g_ptr_array_free (pats, FALSE), n);
    g_once_init_leave (&done, 1);
  }
  return &tm;
}

/* Where table @tab (@n entries) starts in the text index, or -1. */
static gssize
text_tab_off (const TextMatcher *tm, gconstpointer tab, gsize n)
{
  for (guint k = 0; k < tm->ntabs; k++)
    if (tm->tabs[k].tab == tab && tm->tabs[k].n == n)
      return tm->tabs[k].off;
  return -1;
}

/* @s after leading brackets and white space ("【自動返信】" -> "自動返信】"). */
static const char *
skip_brackets (const char *s)
{
  static const char *const open[] = { "【", "［", "（", "「", "[", "(", "<" };
  for (;;) {
    while (*s == ' ' || *s == '\t')
      s++;
    gboolean hit = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (open); i++)
      if (g_str_has_prefix (s, open[i])) {
        s += strlen (open[i]);
        hit = TRUE;
      }
    if (!hit)
      return s;
  }
}

/* Does @s end with one of @tab, trailing white space and ".!" ignored? */
static gboolean
suffix_any (const char *s, const char *const *tab, gsize n, const char **hit_r)
{
  if (s == NULL)
    return FALSE;
  gsize len = strlen (s);
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '.' || s[len - 1] == '!'))
    len--;
  for (gsize i = 0; i < n; i++) {
    gsize k = strlen (tab[i]);
    if (k <= len && memcmp (s + len - k, tab[i], k) == 0) {
      if (hit_r)
        *hit_r = tab[i];
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
equal_any (const char *s, const char *const *tab, gsize n)
{
  if (s == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (strcmp (s, tab[i]) == 0)
      return TRUE;
  return FALSE;
}

/* g_strsplit (s, "\n", max) without an allocation per line: the lines
 * point into one copy of @s. Free with free_lines(). */
static char **
split_lines (const char *s, guint max)
{
  gsize len = strlen (s);
  /* the array and the copy in one block: [pointers ... NULL][text] */
  guint n = 1;
  for (const char *p = s; (p = memchr (p, '\n', s + len - p)) != NULL; p++)
    n++;
  if (max > 0 && n > max)
    n = max;
  gsize head = (len ? n + 1 : 1) * sizeof (char *);
  char **v = g_malloc (head + len + 1);
  char *buf = (char *) v + head;
  memcpy (buf, s, len + 1);
  guint k = 0;
  if (len) {
    char *p = buf;
    for (;;) {
      v[k++] = p;
      if (k == n)
        break;  /* the last one keeps the rest, as g_strsplit() does */
      char *nl = strchr (p, '\n');
      if (nl == NULL)
        break;
      *nl = '\0';
      p = nl + 1;
    }
  }
  v[k] = NULL;
  return v;
}

static void
free_lines (char **v)
{
  g_free (v);
}

static gboolean
addr_char (char c)
{
  return g_ascii_isalnum (c) || (c && strchr ("._%+-=/!#$&'*?^`{|}~", c) != NULL) || (guchar) c >= 0x80;
}

/* A byte that can be in a host name: ASCII letters, digits, '-', '.' (and
 * '_', seen in real host names). Not a non-ASCII byte: in notice text the
 * domain ends where the prose in another script starts ("a@example.jp您好"). */
static gboolean
dom_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_';
}

/* An address starting at @p (or, when @p starts with non-ASCII prose, just
 * after it): returns it lower-cased and sets *end_r, or NULL. UTF-8 (an
 * SMTPUTF8 address) is kept only when the address is closed by '>', that is,
 * written inside <...>; otherwise the local part starts after the last
 * non-ASCII byte and the domain ends at the first one. Trailing dots and
 * hyphens are trimmed. */
static char *
addr_at (const char *p, const char **end_r)
{
  const char *q = p;
  while (addr_char (*q))
    q++;
  if (q == p || *q != '@')
    return NULL;
  const char *d = q + 1, *e = d;
  while (dom_char (*e) || (guchar) *e >= 0x80)
    e++;
  gboolean bracketed = *e == '>';
  const char *s = p;
  if (!bracketed) {
    e = d;
    while (dom_char (*e))
      e++;
    for (const char *t = p; t < q; t++)
      if ((guchar) *t >= 0x80)
        s = t + 1;
  }
  while (e > d && (e[-1] == '.' || e[-1] == '-'))
    e--;
  if (e == d || memchr (d, '.', e - d) == NULL)
    return NULL;
  if (end_r)
    *end_r = e;
  while (s < q && (*s == '.' || *s == '\'' || *s == '`'))
    s++;
  if (s == q)
    return NULL;
  return ascii_lower_n (s, e - s);
}

/* A Message-ID in @v ("<a@b>", or a bare "a@b"): newly allocated, or NULL. */
static char *
msgid_in (const char *v, gboolean need_angle)
{
  if (v == NULL)
    return NULL;
  const char *lt = strchr (v, '<');
  if (lt) {
    const char *gt = strchr (lt + 1, '>');
    if (gt && gt - lt > 3) {
      const char *s = lt + 1;
      while (*s == ' ')
        s++;
      const char *e = gt;
      while (e > s && e[-1] == ' ')
        e--;
      if (memchr (s, '@', e - s) && !memchr (s, ' ', e - s) && !memchr (s, '<', e - s))
        return g_strndup (s, e - s);
    }
    return NULL;
  }
  if (need_angle)
    return NULL;
  while (*v == ' ' || *v == '\t')
    v++;
  const char *e = v;
  while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != ',' && *e != ';' && *e != '>')
    e++;
  while (e > v && (e[-1] == '.' || e[-1] == ')'))
    e--;
  if (e - v < 3 || !memchr (v, '@', e - v))
    return NULL;
  return g_strndup (v, e - v);
}

/* Valid UTF-8 copy of @s, cut at a character boundary to at most @max bytes. */
static char *
short_copy (const char *s, gsize max)
{
  char *v = g_utf8_make_valid (s, -1);
  if (strlen (v) > max) {
    const char *cut = g_utf8_find_prev_char (v, v + max + 1);
    if (cut)
      *(char *) cut = '\0';
  }
  return v;
}

/* ---- analysis context ---- */

typedef struct {
  char *id;
  const char *source;
  int rank;
  guint seq;
} IdCand;

typedef struct {
  UscMessage *msg;
  UscBounce *b;
  guint parts;
  guint max_depth;
  guint level;          /* 0; 1 while analysing a bounce returned inside a bounce */
  UscBounce *inner;     /* that inner bounce's analysis, or NULL */
  char *own_id;
  /* own headers */
  char *from_addr;      /* lower */
  char *from_local;     /* lower */
  char *from_name;      /* lower */
  char *subject_lc;
  char *to_addr;        /* lower, first To */
  gboolean null_sender;
  /* structure */
  char *report_type;    /* lower */
  char *boundary_lc;
  GPtrArray *reports;   /* UscDsnReport* */
  gboolean feedback_part;
  char *feedback_text;  /* the first message/feedback-report part's fields, or NULL */
  GPtrArray *returned;  /* GMimeMessage* (ref): returned originals, best first */
  GPtrArray *returned_src; /* const char* static */
  GString *text;        /* own text parts, UTF-8 */
  GArray *sep_occ;      /* UscMatchOcc: the copy_separators in @text (case-folded), or NULL */
  gsize sep_occ_len;    /* the length of @text they were found in */
  gsize first_off;      /* the first real text part in @text */
  gsize first_text_len;
  gboolean have_first;
  GArray *cands;        /* IdCand */
  guint seq;
  gboolean header_copy;   /* a text/rfc822-headers style part */
  GPtrArray *payloads;    /* GMimeObject* (ref): attachments to sniff */
  GHashTable *rcpt_index;   /* of b->recipients (usc_ptr_array_add_unique_indexed) */
  GHashTable *status_index; /* of b->status */
} Ctx;

/* A failed recipient / status code, unless already there (case-insensitive /
 * exact); takes ownership of @s. Linear in the number added. */
static gboolean
add_recipient (Ctx *c, char *s)
{
  return usc_ptr_array_add_unique_indexed (c->b->recipients, &c->rcpt_index, s, TRUE);
}

static gboolean
add_status (Ctx *c, char *s)
{
  return usc_ptr_array_add_unique_indexed (c->b->status, &c->status_index, s, FALSE);
}

static void
add_cand_own (Ctx *c, char *id, const char *source, int rank, gboolean allow_own)
{
  if (id == NULL)
    return;
  /* Never the bounce's own Message-ID, except when a returned copy of the
   * original (a message part, a header block, an inline copy after a
   * separator) names it as its own: some MTAs reuse the original's ID. */
  if (*id == '\0' || strlen (id) > 250 ||
      (!allow_own && c->own_id && g_ascii_strcasecmp (id, c->own_id) == 0)) {
    g_free (id);
    return;
  }
  IdCand ic = { id, source, rank, c->seq++ };
  g_array_append_val (c->cands, ic);
}

static void
add_cand (Ctx *c, char *id, const char *source, int rank)
{
  add_cand_own (c, id, source, rank, FALSE);
}

static int
cand_cmp (gconstpointer a, gconstpointer b)
{
  const IdCand *x = a, *y = b;
  if (x->rank != y->rank)
    return x->rank - y->rank;
  return (int) x->seq - (int) y->seq;
}

/* ---- HTML to text, roughly ---- */

static char *
html_to_text (const char *h)
{
  GString *s = g_string_new (NULL);
  char *lc = g_ascii_strdown (h, -1);  /* once: tags are matched case-insensitively */
  const char *p = h;
  while (*p) {
    if (*p == '<') {
      const char *e = strchr (p, '>');
      if (!e)
        break;
      char t[8] = { 0 };
      gsize k = 0;
      const char *q = p + 1;
      if (*q == '/')
        q++;
      while (k < 7 && g_ascii_isalpha (q[k])) {
        t[k] = g_ascii_tolower (q[k]);
        k++;
      }
      if (!strcmp (t, "br") || !strcmp (t, "p") || !strcmp (t, "div") || !strcmp (t, "tr") ||
          !strcmp (t, "li") || !strcmp (t, "pre") || !strcmp (t, "h1") || !strcmp (t, "h2") ||
          !strcmp (t, "table"))
        g_string_append_c (s, '\n');
      else if (!strcmp (t, "td") || !strcmp (t, "th"))
        g_string_append_c (s, '\t');  /* a table row stays one "Key:\tvalue" line */
      if (p[1] != '/' && (!strcmp (t, "style") || !strcmp (t, "script"))) {
        const char *close = strstr (lc + (e - h), t[1] == 't' ? "</style" : "</script");
        e = close ? strchr (h + (close - lc), '>') : NULL;
        if (!e)
          break;
      }
      p = e + 1;
    } else if (*p == '&') {
      static const struct { const char *e; const char *r; } ents[] = {
        { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" }, { "&nbsp;", " " },
        { "&quot;", "\"" }, { "&#39;", "'" }, { "&#64;", "@" }, { "&#60;", "<" }, { "&#62;", ">" },
      };
      gboolean done = FALSE;
      for (guint i = 0; i < N (ents); i++)
        if (g_ascii_strncasecmp (p, ents[i].e, strlen (ents[i].e)) == 0) {
          g_string_append (s, ents[i].r);
          p += strlen (ents[i].e);
          done = TRUE;
          break;
        }
      if (!done)
        g_string_append_c (s, *p++);
    } else {
      g_string_append_c (s, *p++);
    }
  }
  g_free (lc);
  return g_string_free (s, FALSE);
}

/* ---- the MIME walk ---- */

/* Decoded text of a leaf part in UTF-8; NUL bytes (QP "=00", broken
 * encoders) become spaces so that nothing after them is lost. */
static char *
part_text (GMimeObject *part, gsize max)
{
  GByteArray *ba = usc_mime_part_content (part, max);
  if (ba == NULL)
    return NULL;
  for (guint i = 0; i < ba->len; i++)
    if (ba->data[i] == 0)
      ba->data[i] = ' ';
  const char *charset = g_mime_object_get_content_type_parameter (part, "charset");
  char *out = NULL;
  if (charset && g_ascii_strcasecmp (charset, "utf-8") != 0 && g_ascii_strcasecmp (charset, "us-ascii") != 0 &&
      !g_utf8_validate ((const char *) ba->data, ba->len, NULL))
    out = g_convert_with_fallback ((const char *) ba->data, ba->len, "UTF-8",
                                   g_mime_charset_iconv_name (charset), "?", NULL, NULL, NULL);
  else if (charset && g_ascii_strncasecmp (charset, "iso-2022", 8) == 0)
    out = g_convert_with_fallback ((const char *) ba->data, ba->len, "UTF-8",
                                   g_mime_charset_iconv_name (charset), "?", NULL, NULL, NULL);
  if (out == NULL)
    out = g_utf8_make_valid ((const char *) ba->data, ba->len);
  g_byte_array_unref (ba);
  return out;
}

static char *
content_type_of (GMimeObject *o)
{
  GMimeContentType *ct = g_mime_object_get_content_type (o);
  if (ct == NULL)
    return g_strdup ("text/plain");
  char *m = g_mime_content_type_get_mime_type (ct);
  char *lc = g_ascii_strdown (m, -1);
  g_free (m);
  return lc;
}

static void
add_returned (Ctx *c, GMimeMessage *m, const char *source)
{
  g_ptr_array_add (c->returned, m);
  g_ptr_array_add (c->returned_src, (gpointer) source);
}

/* Parse a header-only block (text/rfc822-headers) as a message. */
static GMimeMessage *
parse_header_block (const char *data, gsize len)
{
  GString *s = g_string_new_len (data, len);
  /* some MTAs indent the block or start it with a blank line */
  gsize k = 0;
  while (k < s->len && (s->str[k] == '\n' || s->str[k] == '\r'))
    k++;
  g_string_erase (s, 0, k);
  g_string_append (s, "\n\n");
  GMimeMessage *m = usc_mime_parse_embedded (s->str, s->len);
  g_string_free (s, TRUE);
  return m;
}

/* Does @data start with a header field ("Received: ...")? */
static gboolean
looks_like_field_n (const char *data, gsize len)
{
  gsize i = 0;
  while (i < len && i < 80 && (g_ascii_isalnum (data[i]) || data[i] == '-'))
    i++;
  return i > 1 && i < len && data[i] == ':';
}

/* An embedded message, leading blank lines skipped. */
static GMimeMessage *
embedded_message (const char *data, gsize len)
{
  gsize k = 0;
  while (k < len && (data[k] == '\n' || data[k] == '\r' || data[k] == ' ' || data[k] == '\t'))
    k++;
  if (k == len)
    return NULL;
  return usc_mime_parse_embedded (data + k, len - k);
}

/* Payloads are sniffed (libmagic) only once the message is known to be a
 * bounce: ordinary mail with attachments never loads the magic database. */
static void
defer_sniff (Ctx *c, GMimeObject *part)
{
  if (c->payloads->len < 32)
    g_ptr_array_add (c->payloads, g_object_ref (part));
}

static void
sniff_payload (Ctx *c, GMimeObject *part)
{
  const char *fname = GMIME_IS_PART (part) ? g_mime_part_get_filename (GMIME_PART (part)) : NULL;
  GByteArray *ba = usc_mime_part_content (part, SNIFF_MAX);
  if (ba == NULL)
    return;
  if (ba->len > 0) {
    char *type = usc_sniff_type (ba->data, ba->len, NULL);
    if (usc_sniff_is_executable (type, fname))
      c->b->executable = TRUE;
    if (type)
      usc_ptr_array_add_unique (c->b->payload_types, type, TRUE);
  }
  g_byte_array_unref (ba);
}

static gboolean
walk_limit (Ctx *c, guint depth)
{
  if (depth > c->max_depth || ++c->parts > c->msg->limits.max_parts || usc_message_expired (c->msg)) {
    c->b->truncated = TRUE;
    return TRUE;
  }
  return FALSE;
}

/* Payloads inside a returned original: only sniff non-text attachments. */
static void
walk_payload (Ctx *c, GMimeObject *o, guint depth)
{
  if (o == NULL || walk_limit (c, depth))
    return;
  if (GMIME_IS_MULTIPART (o)) {
    GMimeMultipart *mp = GMIME_MULTIPART (o);
    int n = g_mime_multipart_get_count (mp);
    for (int i = 0; i < n && !c->b->truncated; i++)
      walk_payload (c, g_mime_multipart_get_part (mp, i), depth + 1);
  } else if (GMIME_IS_MESSAGE_PART (o)) {
    GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (o));
    if (m)
      walk_payload (c, g_mime_message_get_mime_part (m), depth + 1);
  } else if (GMIME_IS_PART (o)) {
    GMimeContentType *ct = g_mime_object_get_content_type (o);
    const char *fname = g_mime_part_get_filename (GMIME_PART (o));
    if (ct && g_mime_content_type_is_type (ct, "text", "*") && !(fname && usc_sniff_is_executable (NULL, fname)))
      return;
    defer_sniff (c, o);
  }
}

static void
append_text (Ctx *c, const char *t)
{
  if (c->text->len >= TEXT_MAX * 2)
    return;
  if (c->text->len)
    g_string_append (c->text, "\n\n");
  gsize off = c->text->len;
  g_string_append (c->text, t);
  if (!c->have_first && strlen (t) >= 40) {
    c->have_first = TRUE;
    c->first_off = off;
    c->first_text_len = c->text->len - off;
  }
}

/* A text part that is really a message file: named *.eml / *.msg, or an
 * attachment whose content starts with header fields. */
static gboolean
is_message_file (GMimeObject *o)
{
  const char *fname = g_mime_part_get_filename (GMIME_PART (o));
  if (fname && (g_str_has_suffix (fname, ".eml") || g_str_has_suffix (fname, ".EML")))
    return TRUE;
  const char *disp = g_mime_object_get_disposition (o);
  if (disp == NULL || g_ascii_strcasecmp (disp, "attachment") != 0)
    return FALSE;
  GByteArray *ba = usc_mime_part_content (o, 256);
  gboolean r = ba && looks_like_field_n ((const char *) ba->data, ba->len);
  if (ba)
    g_byte_array_unref (ba);
  return r;
}

/* A multipart's prologue (before the first boundary) sometimes carries the
 * report or the original's headers. */
static void
append_prologue (Ctx *c, const char *pro)
{
  char *t = g_utf8_make_valid (pro, MIN (strlen (pro), TEXT_MAX));
  if (c->text->len < TEXT_MAX * 2) {
    if (c->text->len)
      g_string_append (c->text, "\n\n");
    g_string_append (c->text, t);
  }
  g_free (t);
}

/* A leaf whose MIME headers are really the original's header block (a part
 * that starts without a blank line). */
static void
part_headers_as_copy (Ctx *c, GMimeObject *o)
{
  if (g_mime_object_get_header (o, "Message-ID") == NULL)
    return;
  GMimeHeaderList *hl = g_mime_object_get_header_list (o);
  char *h = g_mime_header_list_to_string (hl, NULL);
  if (h) {
    GMimeMessage *m = parse_header_block (h, strlen (h));
    if (m)
      add_returned (c, m, "inline-copy");
    g_free (h);
  }
}

static void
walk (Ctx *c, GMimeObject *o, guint depth)
{
  if (o == NULL || walk_limit (c, depth))
    return;
  if (GMIME_IS_MULTIPART (o)) {
    GMimeMultipart *mp = GMIME_MULTIPART (o);
    char *ct = content_type_of (o);
    if (strcmp (ct, "multipart/report") == 0 && c->report_type == NULL) {
      const char *rt = g_mime_object_get_content_type_parameter (o, "report-type");
      if (rt)
        c->report_type = g_ascii_strdown (rt, -1);
    }
    g_free (ct);
    const char *pro = g_mime_multipart_get_prologue (mp);
    if (pro && strlen (pro) > 40)
      append_prologue (c, pro);
    int n = g_mime_multipart_get_count (mp);
    for (int i = 0; i < n && !c->b->truncated; i++)
      walk (c, g_mime_multipart_get_part (mp, i), depth + 1);
    return;
  }
  if (GMIME_IS_MESSAGE_PART (o)) {
    GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (o));
    if (m && g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))) == 0) {
      /* a blank line before the returned headers: re-parse without it */
      char *str = g_mime_object_to_string (GMIME_OBJECT (m), NULL);
      GMimeMessage *m2 = str ? embedded_message (str, strlen (str)) : NULL;
      g_free (str);
      if (m2) {
        char *ct = content_type_of (o);
        add_returned (c, m2, g_str_has_prefix (ct, "message/global") ? "message/global" : "message/rfc822");
        g_free (ct);
        walk_payload (c, g_mime_message_get_mime_part (m2), depth + 1);
        return;
      }
    }
    if (m) {
      char *ct = content_type_of (o);
      g_object_ref (m);
      add_returned (c, m, g_str_has_prefix (ct, "message/global") ? "message/global" : "message/rfc822");
      g_free (ct);
      walk_payload (c, g_mime_message_get_mime_part (m), depth + 1);
    }
    return;
  }
  if (!GMIME_IS_PART (o))
    return;

  char *ct = content_type_of (o);
  part_headers_as_copy (c, o);
  if (strcmp (ct, "message/delivery-status") == 0 || strcmp (ct, "message/global-delivery-status") == 0 ||
      strcmp (ct, "message/delivery-status-report") == 0) {
    GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
    if (ba) {
      UscDsnReport *r = usc_dsn_parse ((const char *) ba->data, ba->len, NULL);
      if (r)
        g_ptr_array_add (c->reports, r);
      /* broken boundaries can leave the returned headers in here */
      if (ba->len > 0 && c->text->len < TEXT_MAX * 2) {
        char *t = g_utf8_make_valid ((const char *) ba->data, ba->len);
        append_prologue (c, t);
        g_free (t);
      }
      g_byte_array_unref (ba);
    }
  } else if (strcmp (ct, "message/feedback-report") == 0) {
    c->feedback_part = TRUE;
    if (!c->feedback_text) {
      GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
      if (ba) {
        c->feedback_text = g_utf8_make_valid ((const char *) ba->data, ba->len);
        g_byte_array_unref (ba);
      }
    }
  } else if (strcmp (ct, "text/rfc822-headers") == 0 || strcmp (ct, "message/global-headers") == 0 ||
             strcmp (ct, "text/rfc822-header") == 0 || strcmp (ct, "message/rfc822-headers") == 0 ||
             strcmp (ct, "text/x-rfc822-headers") == 0) {
    GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
    if (ba) {
      GMimeMessage *m = parse_header_block ((const char *) ba->data, ba->len);
      if (m)
        add_returned (c, m, strcmp (ct, "message/global-headers") == 0 ? "message/global-headers"
                                                                         : "text/rfc822-headers");
      c->header_copy = TRUE;
      g_byte_array_unref (ba);
    }
  } else if (strcmp (ct, "message/rfc822") == 0 || strcmp (ct, "message/global") == 0 ||
             strcmp (ct, "message/news") == 0 || strcmp (ct, "message/partial") == 0) {
    /* an encoded returned message that GMime left as a leaf */
    GByteArray *ba = usc_mime_part_content (o, 0);
    if (ba) {
      GMimeMessage *m = embedded_message ((const char *) ba->data, ba->len);
      if (m) {
        add_returned (c, m, strcmp (ct, "message/global") == 0 ? "message/global" : "message/rfc822");
        walk_payload (c, g_mime_message_get_mime_part (m), depth + 1);
      }
      g_byte_array_unref (ba);
    }
  } else if (g_str_has_prefix (ct, "text/") && is_message_file (o)) {
    /* the returned original attached as a file ("original.eml", text/plain) */
    GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
    GMimeMessage *m = ba ? embedded_message ((const char *) ba->data, ba->len) : NULL;
    if (m && g_mime_message_get_message_id (m))
      add_returned (c, m, "message/rfc822");
    else if (m)
      g_object_unref (m);
    if (ba)
      g_byte_array_unref (ba);
  } else if (g_str_has_prefix (ct, "text/")) {
    char *t = part_text (o, TEXT_MAX);
    if (t) {
      if (strcmp (ct, "text/html") == 0) {
        char *p = html_to_text (t);
        g_free (t);
        t = p;
      }
      append_text (c, t);
      g_free (t);
    }
  } else if (strcmp (ct, "application/ms-tnef") != 0) {
    /* a returned original labelled as a file ("original.eml",
     * application/octet-stream) is still a message */
    const char *fname = g_mime_part_get_filename (GMIME_PART (o));
    gboolean eml_name = fname && (g_str_has_suffix (fname, ".eml") || g_str_has_suffix (fname, ".EML"));
    if (eml_name || strcmp (ct, "application/octet-stream") == 0) {
      GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
      if (ba && ba->len > 0 && (eml_name || looks_like_field_n ((const char *) ba->data, ba->len))) {
        GMimeMessage *m = embedded_message ((const char *) ba->data, ba->len);
        if (m && g_mime_message_get_message_id (m))
          add_returned (c, m, "message/rfc822");
        else if (m)
          g_object_unref (m);
      }
      if (ba)
        g_byte_array_unref (ba);
    }
    /* the notice's own inline pictures (Gmail's error icon) are no payload */
    if (!(g_str_has_prefix (ct, "image/") && g_mime_object_get_content_id (o)))
      defer_sniff (c, o);
  }
  g_free (ct);
}

/* ---- header helpers ---- */

static const char *
hdr (GMimeObject *o, const char *name)
{
  return g_mime_object_get_header (o, name);
}

static void
first_mailbox (InternetAddressList *l, char **addr_r, char **name_r)
{
  if (l == NULL)
    return;
  int n = internet_address_list_length (l);
  for (int i = 0; i < n; i++) {
    InternetAddress *ia = internet_address_list_get_address (l, i);
    if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
      const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
      if (addr_r && a && !*addr_r)
        *addr_r = g_ascii_strdown (a, -1);
      const char *nm = internet_address_get_name (ia);
      if (name_r && nm && !*name_r)
        *name_r = g_utf8_strdown (nm, -1);
      return;
    }
  }
}

static gint64
parse_date (const char *d)
{
  if (d == NULL)
    return 0;
  GDateTime *dt = g_mime_utils_header_decode_date (d);
  if (dt == NULL)
    return 0;
  gint64 t = g_date_time_to_unix (dt);
  g_date_time_unref (dt);
  return t;
}

/* ---- text scanning ---- */

/* Lower-cased copy of @t without '>'-quoted lines (what the message itself says). */
static char *
unquoted_lower (const char *t, gsize max)
{
  /* lines are copied whole: the result may pass @max by one line */
  gsize tlen = strlen (t), cap = MIN (tlen, max) + 2, o = 0;
  char *s = g_malloc (cap);
  const char *p = t, *end = t + tlen;
  while (p < end && o < max) {
    const char *nl = memchr (p, '\n', end - p);
    gsize n = nl ? (gsize) (nl - p) : (gsize) (end - p);
    const char *q = p;
    while (q < p + n && (*q == ' ' || *q == '\t'))
      q++;
    if (*q != '>') {
      if (o + n + 2 > cap) {
        cap = MAX (cap * 2, o + n + 2);
        s = g_realloc (s, cap);
      }
      for (gsize i = 0; i < n; i++)
        s[o + i] = ascii_lc (p[i]);
      o += n;
      s[o++] = '\n';
    }
    p = nl ? nl + 1 : p + n;
  }
  s[o] = '\0';
  return s;
}

static gboolean
deco_char (char ch)
{
  return ch && strchr ("-=*_#~+", ch) != NULL;
}

/* A site's own separator line: "=== The message you sent follows ===",
 * "--- Kopfzeilen der Originalnachricht ---": decoration (3+ of -=*_#~+)
 * before, decoration or a final ':' / '.' after, and between them words
 * about the message (separator_words), not a forward's. @l is one
 * line of @n bytes (the words are compared lower-cased). */
static gboolean
decorated_separator (const char *l, gsize n)
{
  const char *p = l, *e = l + n;
  while (p < e && (*p == ' ' || *p == '\t'))
    p++;
  while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
    e--;
  const char *s = p;
  while (s < e && deco_char (*s))
    s++;
  if (s - p < 3)
    return FALSE;
  const char *t = e;
  while (t > s && deco_char (t[-1]))
    t--;
  if (e - t < 3 && !(t > s && (t[-1] == ':' || t[-1] == '.')))
    return FALSE;
  if (t - s < 5 || t - s > 80 || memchr (s, ' ', t - s) == NULL)
    return FALSE;
  char *inner = ascii_lower_n (s, t - s);  /* @l may be in any case */
  gboolean r = contains_any (inner, separator_words, N (separator_words), NULL) &&
               !contains_any (inner, separator_exclusions, N (separator_exclusions), NULL) &&
               !contains_any (inner, forward_markers, N (forward_markers), NULL) &&
               !strstr (inner, "forward") && !strstr (inner, "weitergeleitet");
  g_free (inner);
  return r;
}

/* find_separator() once the first of the copy_separators is known (@best). */
static gssize
find_separator_from (const char *lc, gssize best)
{
  for (const char *l = lc; *l && (best < 0 || l - lc < best);) {
    const char *nl = strchr (l, '\n');
    gsize n = nl ? (gsize) (nl - l) : strlen (l);
    if (decorated_separator (l, n)) {
      best = l - lc;
      break;
    }
    l += n + (nl ? 1 : 0);
  }
  return best;
}

/* Offset of the first copy-of-original separator line in @t, or -1. @t is
 * read as if lower-cased (ASCII): no lower-cased copy is needed. */
static gssize
find_separator (const char *t)
{
  const UscMatch *m = usc_match_table (copy_separators, N (copy_separators));
  gssize best = -1;
  if (m)
    best = usc_match_first_folded (m, t, strlen (t));
  else {
    char *lc = g_ascii_strdown (t, -1);
    for (guint i = 0; i < N (copy_separators); i++) {
      const char *h = strstr (lc, copy_separators[i]);
      if (h && (best < 0 || h - lc < best))
        best = h - lc;
    }
    g_free (lc);
  }
  return find_separator_from (t, best);
}

/* Strip indentation and '>' quoting; returns the depth of quoting. */
static const char *
strip_prefix (const char *line, int *quote_r)
{
  int q = 0;
  const char *p = line;
  for (;;) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '>') {
      q++;
      p++;
      continue;
    }
    break;
  }
  *quote_r = q;
  return p;
}

static gboolean
looks_like_field (const char *p)
{
  const char *q = p;
  while (g_ascii_isalnum (*q) || *q == '-' || *q == '_')
    q++;
  return q > p && *q == ':' && q - p < 60;
}

/* Collect the header-looking block around line @at of @lines (prefix stripped). */
static GMimeMessage *
inline_header_block (char **lines, guint n, guint at)
{
  int q;
  guint s = at, e = at;
  while (s > 0) {
    const char *p = strip_prefix (lines[s - 1], &q);
    if (*p == '\0')
      break;
    if (!looks_like_field (p) && !(lines[s - 1][0] == ' ' || lines[s - 1][0] == '\t'))
      break;
    s--;
  }
  /* the block starts with a field, not with a stray continuation line */
  while (s < at && !looks_like_field (strip_prefix (lines[s], &q)))
    s++;
  while (e + 1 < n) {
    const char *p = strip_prefix (lines[e + 1], &q);
    if (*p == '\0')
      break;
    e++;
  }
  GString *blk = g_string_new (NULL);
  for (guint i = s; i <= e && blk->len < 65536; i++) {
    const char *p = strip_prefix (lines[i], &q);
    if (!looks_like_field (p))
      g_string_append_c (blk, ' ');
    g_string_append (blk, p);
    g_string_append_c (blk, '\n');
  }
  g_string_append (blk, "\n");
  GMimeMessage *m = usc_mime_parse_embedded (blk->str, blk->len);
  g_string_free (blk, TRUE);
  return m;
}

/* Where the copy_separators occur in c->text (read as if lower-cased), found
 * in one pass and kept; NULL when the index cannot say (use the slow way). */
static const GArray *
text_separators (Ctx *c)
{
  const UscMatch *m = usc_match_table (copy_separators, N (copy_separators));
  if (m == NULL || usc_match_has_short (m))
    return NULL;
  if (c->sep_occ == NULL || c->sep_occ_len != c->text->len) {
    if (c->sep_occ == NULL)
      c->sep_occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
    g_array_set_size (c->sep_occ, 0);
    usc_match_all_folded (m, c->text->str, c->text->len, c->sep_occ);
    c->sep_occ_len = c->text->len;
  }
  return c->sep_occ;
}

/* find_separator (@region), where @region is a copy of the @n bytes of
 * c->text from @off on. */
static gssize
region_separator (Ctx *c, const char *region, gsize off, gsize n)
{
  const GArray *occ = text_separators (c);
  if (occ == NULL)
    return find_separator (region);
  gssize best = -1;
  for (guint k = 0; k < occ->len && best < 0; k++) {
    const UscMatchOcc *o = &g_array_index (occ, UscMatchOcc, k);
    if (o->pos >= off && o->pos + o->len <= off + n)
      best = (gssize) (o->pos - off);
  }
  return find_separator_from (region, best);
}

/* Message-IDs quoted in the text bodies. */
static void
scan_text_ids (Ctx *c)
{
  if (c->text->len == 0)
    return;
  char **lines = split_lines (c->text->str, 20000);
  guint n = g_strv_length (lines);
  gboolean after_sep = FALSE;
  const GArray *occ = text_separators (c);
  guint oi = 0;
  gboolean got_block = FALSE;
  guint first_field_after_sep = 0;  /* 0: none */
  for (guint i = 0; i < n; i++) {
    int q;
    const char *p = strip_prefix (lines[i], &q);
    if (!after_sep && *p && occ) {
      /* a separator within the first 200 bytes of the line (from the
       * occurrences in the whole text: lines[] has c->text's offsets) */
      gsize ll = 0;
      while (ll < 200 && p[ll])
        ll++;
      gsize poff = (gsize) (p - lines[0]);
      while (oi < occ->len && g_array_index (occ, UscMatchOcc, oi).pos < poff)
        oi++;
      for (guint k = oi; k < occ->len && g_array_index (occ, UscMatchOcc, k).pos < poff + ll; k++)
        if (g_array_index (occ, UscMatchOcc, k).pos + g_array_index (occ, UscMatchOcc, k).len <= poff + ll) {
          after_sep = TRUE;
          break;
        }
      if (!after_sep && decorated_separator (p, ll))
        after_sep = TRUE;
    } else if (!after_sep && *p) {
      char lc[201];
      gsize ll = 0;
      for (; ll < 200 && p[ll]; ll++)
        lc[ll] = ascii_lc (p[ll]);
      lc[ll] = '\0';
      if (contains_any (lc, copy_separators, N (copy_separators), NULL))
        after_sep = TRUE;
      if (!after_sep && decorated_separator (lc, ll))
        after_sep = TRUE;
    } else if (after_sep && first_field_after_sep == 0 && looks_like_field (p)) {
      first_field_after_sep = i;
    }
    for (guint k = 0; k < N (body_id_keys); k++) {
      /* the first letter decides most lines without the full comparison */
      if (body_id_keys[k].key[0] && ascii_lc (*p) != ascii_lc (body_id_keys[k].key[0]))
        continue;
      gsize kl = strlen (body_id_keys[k].key);
      if (g_ascii_strncasecmp (p, body_id_keys[k].key, kl) != 0)
        continue;
      const char *v = p + kl;
      while (*v == ' ' || *v == '\t')
        v++;
      gboolean colon = *v == ':';
      if (colon)
        v++;
      else if (body_id_keys[k].source == NULL)
        break; /* "Message-ID" must be a field */
      while (*v == ' ' || *v == '\t' || *v == '=')
        v++;
      const char *val = v;
      if (*val == '\0' && i + 1 < n) {
        int q2;
        val = strip_prefix (lines[i + 1], &q2);
      }
      char *id = msgid_in (val, body_id_keys[k].source != NULL && !colon);
      if (id == NULL)
        break;
      const char *src = body_id_keys[k].source;
      int rank;
      if (src && strcmp (src, "x-original-message-id") == 0)
        rank = 3;
      else if (src)
        rank = 7;
      else if (q > 0) {
        src = "quoted";
        rank = 6;
      } else if (after_sep || (i > 0 && looks_like_field (strip_prefix (lines[i - 1], &q))) ||
                 (i + 1 < n && looks_like_field (strip_prefix (lines[i + 1], &q)))) {
        src = "inline-copy";
        rank = 5;
      } else {
        src = "body-text";
        rank = 7;
      }
      if (!got_block && (rank == 5 || rank == 6)) {
        GMimeMessage *m = inline_header_block (lines, n, i);
        if (m) {
          add_returned (c, m, src);
          got_block = TRUE;
        }
      }
      add_cand_own (c, id, src, rank, rank == 5 && after_sep);
      break;
    }
  }
  /* a copy of the original's headers without a Message-ID still tells
   * whom it went to, its subject and date */
  if (!got_block && first_field_after_sep > 0) {
    GMimeMessage *m = inline_header_block (lines, n, first_field_after_sep);
    if (m)
      add_returned (c, m, "inline-copy");
  }
  free_lines (lines);
}

/* Status codes (RFC 3463) in @t, in order; SMTP reply codes when none. */
static void
scan_status (GPtrArray *out, const char *t)
{
  for (const char *p = t; *p && out->len < 8; p++) {
    if ((*p == '4' || *p == '5') && p[1] == '.' && g_ascii_isdigit (p[2]) &&
        (p == t || !(g_ascii_isdigit (p[-1]) || p[-1] == '.' || g_ascii_isalpha (p[-1])))) {
      const char *q = p + 2;
      int a = 0, b = 0;
      while (g_ascii_isdigit (*q)) { q++; a++; }
      if (a > 3 || *q != '.')
        continue;
      q++;
      while (g_ascii_isdigit (*q)) { q++; b++; }
      if (b < 1 || b > 3 || *q == '.' || g_ascii_isalnum (*q))
        continue;
      usc_ptr_array_add_unique (out, g_strndup (p, q - p), FALSE);
      p = q - 1;
    }
  }
  if (out->len)
    return;
  /* "550 User unknown", "said: 554-..." */
  for (const char *p = t; *p && out->len < 1; p++) {
    if (!((*p == '4' || *p == '5') && (p[1] >= '0' && p[1] <= '5') && g_ascii_isdigit (p[2]) &&
          (p[3] == ' ' || p[3] == '-') && (p == t || p[-1] == ' ' || p[-1] == '\n' || p[-1] == '#' || p[-1] == '(')))
      continue;
    const char *w = p + 3;  /* "550 User unknown", "550-User", "550 - User" */
    while (w < p + 6 && (*w == ' ' || *w == '-'))
      w++;
    if (g_ascii_isalpha (*w)) {
      int code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
      if (code == 421 || code == 450 || code == 451 || code == 452 || code == 550 || code == 551 ||
          code == 552 || code == 553 || code == 554)
        usc_ptr_array_add_unique (out, g_strdup_printf ("%c.0.0", p[0]), FALSE);
    }
  }
}

static gboolean
is_own_address (Ctx *c, const char *a)
{
  if (c->from_addr && strcmp (a, c->from_addr) == 0)
    return TRUE;
  if (c->to_addr && strcmp (a, c->to_addr) == 0)
    return TRUE;
  if (c->b->envelope_sender && strcmp (a, c->b->envelope_sender) == 0)
    return TRUE;
  const char *at = strchr (a, '@');
  char *local = at ? g_strndup (a, at - a) : g_strdup (a);
  gboolean d = g_str_has_prefix (local, "mailer-daemon") || g_str_has_prefix (local, "mailer_daemon");
  g_free (local);
  return d;
}

/* An address that is really one of the original's Message-IDs ("<id@host>"
 * on a line of its own). */
static gboolean
is_known_id (Ctx *c, const char *a)
{
  for (guint i = 0; i < c->b->message_ids->len; i++)
    if (g_ascii_strcasecmp (c->b->message_ids->pdata[i], a) == 0)
      return TRUE;
  return FALSE;
}

/* "Recipient: a@b", "Recipient of the message: Name <a@b>", "Empfänger:
 * a@b", "Recipient: [SMTP:a@b]": a key naming a recipient (recipient_keys)
 * before the first colon, and the first address in the value (an
 * angle-bracketed one preferred). @lc is one lower-cased line. */
static char *
keyed_recipient (const char *lc)
{
  const char *p = lc;
  while (*p == ' ' || *p == '\t' || *p == '*' || *p == '-')
    p++;
  const char *colon = strchr (p, ':');
  if (colon == NULL || colon - p > 40 || colon == p)
    return NULL;
  char *key = g_strndup (p, colon - p);
  gboolean hit = contains_any (key, recipient_keys, N (recipient_keys), NULL) &&
                 !contains_any (key, recipient_key_exclusions, N (recipient_key_exclusions), NULL);
  g_free (key);
  if (!hit)
    return NULL;
  const char *v = colon + 1;
  const char *lt = strchr (v, '<');
  if (lt) {
    char *a = addr_at (lt + 1, NULL);
    if (a)
      return a;
  }
  for (const char *q = v; *q; q++) {
    if (*q != '@' || q == v)
      continue;
    const char *st = q;
    while (st > v && addr_char (st[-1]) && st[-1] != ':')
      st--;
    char *a = addr_at (st, NULL);
    if (a)
      return a;
  }
  return NULL;
}

/* Failed recipients named in the text of a non-standard bounce. */
static void
scan_text_recipients (Ctx *c, const char *diag)
{
  char **lines = split_lines (diag, 5000);
  for (guint i = 0; lines[i] && c->b->recipients->len < 50; i++) {
    const char *p = lines[i];
    while (*p == ' ' || *p == '\t' || *p == '*' || *p == '-')
      p++;
    /* a sendmail transcript's "554 <a@b>... reason": a 4xx/5xx reply code,
     * and maybe an enhanced status code, before the address */
    if ((p[0] == '4' || p[0] == '5') && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) &&
        (p[3] == ' ' || p[3] == '-')) {
      const char *q = p + 4;
      if ((q[0] == '4' || q[0] == '5') && q[1] == '.') {
        while (*q && *q != ' ')
          q++;
        while (*q == ' ')
          q++;
      }
      if (*q == '<')
        p = q;
    }
    char *a = NULL;
    const char *end = NULL;
    if (*p == '<' || *p == '"') {
      a = addr_at (p + 1, &end);
      if (a && (*end == '>' || *end == '"')) {
        end++;
        while (*end == ' ' || *end == '\t')
          end++;
        /* "<a@b>: ...", "<a@b>", "<a@b> (reason)", "<a@b>... User unknown" */
      } else {
        g_clear_pointer (&a, g_free);
      }
    } else if ((a = addr_at (p, &end)) != NULL) {
      while (*end == ' ' || *end == '\t')
        end++;
      if (!(*end == '\0' || *end == ':' || *end == '(' || g_str_has_prefix (end, "on ") ||
            g_str_has_prefix (end, "...") || *end == '<' || *end == '\r' || *end == ',' || *end == '['))
        g_clear_pointer (&a, g_free);
    }
    if (a == NULL) {
      char *lc = g_ascii_strdown (lines[i], -1);
      const char *r = strstr (lc, "rcpt to:");
      if (r) {
        r += 8;
        while (*r == ' ' || *r == '<')
          r++;
        a = addr_at (r, NULL);
      } else {
        a = keyed_recipient (lc);
      }
      g_free (lc);
    }
    if (a && (is_own_address (c, a) || is_known_id (c, a)))
      g_clear_pointer (&a, g_free);
    if (a)
      add_recipient (c, a);
    else
      g_free (a);
  }
  /* an original's "To: addr" listed in the notice */
  for (guint i = 0; lines[i] && c->b->recipients->len == 0; i++) {
    const char *p = lines[i];
    while (*p == ' ' || *p == '\t')
      p++;
    if (g_ascii_strncasecmp (p, "to:", 3) != 0)
      continue;
    p += 3;
    while (*p == ' ' || *p == '\t' || *p == '<' || *p == '"')
      p++;
    char *a = addr_at (p, NULL);
    if (a && !is_own_address (c, a))
      add_recipient (c, a);
    else
      g_free (a);
  }
  /* last resort: an address on a line that says what went wrong */
  for (guint i = 0; lines[i] && c->b->recipients->len == 0; i++) {
    char *lc = g_ascii_strdown (lines[i], -1);
    gboolean failure = contains_any (lc, failure_words, N (failure_words), NULL);
    if (failure) {
      for (const char *p = lc; *p; p++) {
        if (*p != '@' || p == lc)
          continue;
        const char *st = p;
        while (st > lc && addr_char (st[-1]))
          st--;
        const char *end = NULL;
        char *a = addr_at (st, &end);
        if (a && !is_own_address (c, a)) {
          add_recipient (c, a);
          break;
        }
        g_free (a);
      }
    }
    g_free (lc);
  }
  free_lines (lines);
}

/* Amazon SES bounce notifications delivered through SNS: JSON with
 * "notificationType":"Bounce" and the original's "mail":{"messageId":...}. */
static gboolean
ses_json (Ctx *c, const char *lc_text, gboolean extract)
{
  if (!strstr (lc_text, "notificationtype"))
    return FALSE;
  GString *u = g_string_new (NULL);
  for (const char *p = c->text->str; *p; p++)
    if (*p != '\\' && *p != '\n')
      g_string_append_c (u, *p);
  char *lc = g_ascii_strdown (u->str, u->len);
  gboolean is = strstr (lc, "\"notificationtype\":\"bounce\"") != NULL ||
                strstr (lc, "\"notificationtype\":\"delivery\"") != NULL;
  if (is && extract) {
    const char *m = strstr (lc, "\"mail\":");
    const char *k = m ? strstr (m, "\"messageid\":\"") : NULL;
    if (k) {
      const char *v = u->str + (k - lc) + strlen ("\"messageid\":\"");
      const char *e = strchr (v, '"');
      if (e && e > v)
        add_cand (c, g_strndup (v, e - v), "body-text", 4);
    }
    for (const char *r = lc; (r = strstr (r, "\"emailaddress\":\"")) != NULL;) {
      r += strlen ("\"emailaddress\":\"");
      char *a = addr_at (r, NULL);
      if (a)
        add_recipient (c, a);
    }
    const char *st = strstr (lc, "\"status\":\"");
    if (st)
      scan_status (c->b->status, st + 10);
  }
  g_free (lc);
  g_string_free (u, TRUE);
  return is;
}

/* ---- MTA family ---- */

static const char *
detect_family (Ctx *c, const char *body_lc, const char *received_lc, const char *reporting_lc,
               const char *diag_lc, const char *msgid_lc, const gssize *body_hits)
{
  GMimeObject *top = GMIME_OBJECT (c->msg->mime);
  for (guint i = 0; i < N (mta_signatures); i++) {
    const UscSignature *s = &mta_signatures[i];
    const char *hay = NULL;
    char *tmp = NULL;
    switch (s->where) {
    case SIG_FROM: hay = c->from_addr; break;
    case SIG_SUBJECT: hay = c->subject_lc; break;
    case SIG_RECEIVED: hay = received_lc; break;
    case SIG_REPORTING: hay = reporting_lc; break;
    case SIG_BODY: hay = body_lc; break;
    case SIG_BOUNDARY: hay = c->boundary_lc; break;
    case SIG_MSGID: hay = msgid_lc; break;
    case SIG_DIAG: hay = diag_lc; break;
    case SIG_HEADER: {
      const char *v = hdr (top, s->header);
      if (v == NULL)
        continue;
      if (*s->needle == '\0')
        return s->family;
      hay = tmp = g_ascii_strdown (v, -1);
      break;
    }
    }
    /* @body_hits: where each needle first occurs in @body_lc (the text index) */
    gboolean hit = s->where == SIG_BODY && body_hits && hay ? body_hits[i] >= 0
                   : hay && strstr (hay, s->needle) != NULL;
    g_free (tmp);
    if (hit)
      return s->family;
  }
  return NULL;
}

/* ---- the analysis ---- */

static void
note (UscBounce *b, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
note (UscBounce *b, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *s = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (b->notes->len < 16)
    g_ptr_array_add (b->notes, s);
  else
    g_free (s);
}

static gboolean
header_has (GMimeObject *o, const char *name, const char *needle)
{
  const char *v = hdr (o, name);
  if (v == NULL)
    return FALSE;
  if (*needle == '\0')
    return TRUE;
  char *lc = g_ascii_strdown (v, -1);
  gboolean r = strstr (lc, needle) != NULL;
  g_free (lc);
  return r;
}

static void
add_refs (Ctx *c, const char *value, const char *source, int rank, gboolean reverse)
{
  if (value == NULL)
    return;
  GMimeReferences *refs = g_mime_references_parse (NULL, value);
  if (refs == NULL)
    return;
  int n = g_mime_references_length (refs);
  for (int i = 0; i < n; i++) {
    const char *id = g_mime_references_get_message_id (refs, reverse ? n - 1 - i : i);
    if (id && strchr (id, '@'))
      add_cand (c, g_strdup (id), source, rank);
  }
  g_mime_references_free (refs);
}

/* ---- evidence and scores ---- */

/* What the message says about itself, gathered once. Scores are sums of
 * the weights below; each kind has its own threshold in decide_kind(). */
typedef struct {
  char *scan_lc;            /* own text, lower-cased, '>'-quoted lines left out */
  const TextMatcher *tm;    /* the tables searched in scan_lc ... */
  gssize *hits;             /* ... and where each entry first occurs in it (-1: not) */
  /* structure */
  gboolean report_dsn;      /* a parsed delivery-status part (or SES JSON) */
  gboolean report_ct;       /* multipart/report; report-type=delivery-status only */
  gboolean report_arf;      /* RFC 5965 */
  gboolean mdn;             /* RFC 8098 read receipt */
  gboolean ses;             /* Amazon SES JSON notification */
  gboolean hotmail_fbl;     /* Hotmail/Outlook.com feedback loop complaint */
  gboolean returned;        /* a copy of the original is returned */
  gboolean returned_bounce; /* ... and it is itself a bounce (a forwarded or nested bounce) */
  /* sender */
  gboolean daemon_local, daemon_name, daemon, weak_local, virus_sender;
  const char *daemon_hit;
  /* headers */
  gboolean x_failed, auto_replied, auto_any, mua, list, in_reply;
  gboolean chal_sw;         /* challenge-response software names itself */
  int virus_hdr;            /* a scan header says "infected" / "blocked" */
  int malware;              /* malware names in the text */
  /* wording */
  gboolean subject_dsn, virus_subject;
  const char *subject_hit, *autoreply_hit, *first_marker;
  int strong, weak;         /* DSN body markers */
  int virus_body;           /* virus body markers */
  /* scores */
  int human, dsn, arep, chal, vir;
} Evidence;

static void
evidence_clear (Evidence *e)
{
  g_free (e->scan_lc);
  g_free (e->hits);
}

/* The bounce's own headers. */
static void
gather_headers (Ctx *c)
{
  GMimeMessage *mm = c->msg->mime;
  GMimeObject *top = GMIME_OBJECT (mm);
  UscBounce *b = c->b;

  const char *own = g_mime_message_get_message_id (mm);
  c->own_id = own ? g_strdup (own) : NULL;
  first_mailbox (g_mime_message_get_from (mm), &c->from_addr, &c->from_name);
  first_mailbox (g_mime_message_get_addresses (mm, GMIME_ADDRESS_TYPE_TO), &c->to_addr, NULL);
  if (c->from_addr) {
    const char *at = strchr (c->from_addr, '@');
    c->from_local = at ? g_strndup (c->from_addr, at - c->from_addr) : g_strdup (c->from_addr);
  }
  const char *subj = g_mime_message_get_subject (mm);
  c->subject_lc = subj ? g_utf8_strdown (subj, -1) : g_strdup ("");
  const char *rp = hdr (top, "Return-Path");
  if (rp) {
    char *v = g_strstrip (g_ascii_strdown (rp, -1));
    if (strcmp (v, "<>") == 0 || strcmp (v, "") == 0 || strcmp (v, "< >") == 0 || strstr (v, "mailer-daemon"))
      c->null_sender = TRUE;
    g_free (v);
  }
  if (c->msg->had_mbox_from && c->msg->mbox_sender && *c->msg->mbox_sender == '\0')
    c->null_sender = TRUE;
  const char *date = hdr (top, "Date");
  if (date) {
    b->bounce_date = g_strdup (date);
    b->bounce_time = parse_date (date);
  }
  GMimeObject *body = g_mime_message_get_mime_part (mm);
  const char *boundary = g_mime_object_get_content_type_parameter (body ? body : top, "boundary");
  c->boundary_lc = g_ascii_strdown (boundary ? boundary : "", -1);
}

static gboolean
any_header (GMimeObject *top, const char *const *names, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (hdr (top, names[i]))
      return TRUE;
  return FALSE;
}

static int
count_markers (const char *hay, const char *const *tab, gsize n)
{
  int k = 0;
  for (gsize i = 0; i < n; i++)
    if (strstr (hay, tab[i]))
      k++;
  return k;
}

/* contains_any (e->scan_lc, tab, n, hit_r), from the index. */
static gboolean
text_any (const Evidence *e, const char *const *tab, gsize n, const char **hit_r)
{
  gssize off = text_tab_off (e->tm, tab, n);
  if (off < 0)
    return contains_any (e->scan_lc, tab, n, hit_r);
  if (*e->scan_lc == '\0')
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (e->hits[off + i] >= 0) {
      if (hit_r)
        *hit_r = tab[i];
      return TRUE;
    }
  return FALSE;
}

/* count_markers (e->scan_lc, tab, n), from the index. */
static int
text_count (const Evidence *e, const char *const *tab, gsize n)
{
  gssize off = text_tab_off (e->tm, tab, n);
  if (off < 0)
    return count_markers (e->scan_lc, tab, n);
  int k = 0;
  for (gsize i = 0; i < n; i++)
    if (e->hits[off + i] >= 0)
      k++;
  return k;
}

/* strstr (e->scan_lc, lit), from the index when @lit is one of scan_literals. */
static const char *
text_find (const Evidence *e, const char *lit)
{
  gssize off = text_tab_off (e->tm, scan_literals, N (scan_literals));
  for (guint i = 0; i < N (scan_literals); i++)
    if (strcmp (scan_literals[i], lit) == 0)
      return e->hits[off + i] >= 0 ? e->scan_lc + e->hits[off + i] : NULL;
  return strstr (e->scan_lc, lit);
}

/* find_separator (e->scan_lc), from the index. */
static gssize
text_separator (const Evidence *e)
{
  gssize off = text_tab_off (e->tm, copy_separators, N (copy_separators));
  gssize best = -1;
  for (guint i = 0; i < N (copy_separators); i++) {
    gssize h = e->hits[off + i];
    if (h >= 0 && (best < 0 || h < best))
      best = h;
  }
  return find_separator_from (e->scan_lc, best);
}

/* Does the returned message @m look like a bounce itself (by its sender
 * or subject)? A cheap first look; the full analysis comes later. */
static gboolean
looks_like_bounce (GMimeMessage *m)
{
  char *addr = NULL, *name = NULL;
  first_mailbox (g_mime_message_get_from (m), &addr, &name);
  gboolean r = FALSE;
  if (addr) {
    const char *at = strchr (addr, '@');
    char *local = at ? g_strndup (addr, at - addr) : g_strdup (addr);
    r = equal_any (local, daemon_local_parts, N (daemon_local_parts)) ||
        prefix_any (local, daemon_local_prefixes, N (daemon_local_prefixes), NULL);
    g_free (local);
  }
  if (!r)
    r = contains_any (name, daemon_display_names, N (daemon_display_names), NULL);
  if (r) {
    const char *subj = g_mime_message_get_subject (m);
    char *lc = subj ? g_utf8_strdown (subj, -1) : NULL;
    r = lc && contains_any (lc, dsn_subjects, N (dsn_subjects), NULL);
    g_free (lc);
  }
  g_free (addr);
  g_free (name);
  return r;
}

/* Does In-Reply-To (or else References) name a message of another domain
 * than the sender's? */
static gboolean
foreign_reference (Ctx *c)
{
  GMimeObject *top = GMIME_OBJECT (c->msg->mime);
  const char *v = hdr (top, "In-Reply-To");
  if (v == NULL)
    v = hdr (top, "References");
  const char *fat = c->from_addr ? strchr (c->from_addr, '@') : NULL;
  if (v == NULL || fat == NULL)
    return FALSE;
  char *id = msgid_in (v, FALSE);
  const char *iat = id ? strrchr (id, '@') : NULL;
  gboolean r = FALSE;
  if (iat) {
    char *idom = g_ascii_strdown (iat + 1, -1);
    const char *fdom = fat + 1;
    r = !(g_str_has_suffix (idom, fdom) || g_str_has_suffix (fdom, idom));
    g_free (idom);
  }
  g_free (id);
  return r;
}

/* Does a header field name start with one of @prefixes (lower case)? */
static gboolean
header_name_prefix (GMimeObject *top, const char *const *prefixes, gsize n)
{
  GMimeHeaderList *hl = g_mime_object_get_header_list (top);
  int cnt = hl ? g_mime_header_list_get_count (hl) : 0;
  for (int i = 0; i < cnt; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at (hl, i);
    const char *name = h ? g_mime_header_get_name (h) : NULL;
    if (name == NULL)
      continue;
    char *lc = g_ascii_strdown (name, -1);
    gboolean r = prefix_any (lc, prefixes, n, NULL);
    g_free (lc);
    if (r)
      return TRUE;
  }
  return FALSE;
}

/* A scan header (name contains "virus") saying the message was caught. */
static gboolean
virus_header_verdict (GMimeObject *top)
{
  GMimeHeaderList *hl = g_mime_object_get_header_list (top);
  int cnt = hl ? g_mime_header_list_get_count (hl) : 0;
  gboolean r = FALSE;
  for (int i = 0; i < cnt && !r; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at (hl, i);
    const char *name = h ? g_mime_header_get_name (h) : NULL;
    const char *value = h ? g_mime_header_get_value (h) : NULL;
    if (name == NULL || value == NULL)
      continue;
    char *ln = g_ascii_strdown (name, -1);
    char *lv = g_ascii_strdown (value, -1);
    if (strstr (ln, "virus") && contains_any (lv, virus_header_verdicts, N (virus_header_verdicts), NULL) &&
        !contains_any (lv, virus_header_clean, N (virus_header_clean), NULL))
      r = TRUE;
    g_free (ln);
    g_free (lv);
  }
  return r;
}

static gboolean
malware_char (char ch)
{
  return g_ascii_isalnum (ch) || ch == '.' || ch == '_' || ch == '!' || ch == ':' || ch == '/' ||
         ch == '-' || ch == '@';
}

/* Is @p the start of a word (not inside a URL, a path or an address)? */
static gboolean
word_start (const char *base, const char *p)
{
  if (p == base)
    return TRUE;
  char ch = p[-1];
  return !(g_ascii_isalnum (ch) || ch == '/' || ch == '.' || ch == '@' || ch == '-' || ch == '_' ||
           ch == ':' || ch == '=' || ch == '?' || ch == '&' || ch == '%');
}

/* The rest of a malware name after its prefix: at least three characters,
 * starting with a letter or digit, with a variant mark ('.', '!', '-' or a
 * digit) as engines give them ("emotet.ab!tr", "generickd.4711"). */
static gboolean
malware_rest (const char *r)
{
  const char *e = r;
  while (*e && malware_char (*e))
    e++;
  while (e > r && (e[-1] == '.' || e[-1] == ':' || e[-1] == '-'))
    e--;
  if (e - r < 3 || !g_ascii_isalnum (*r))
    return FALSE;
  /* a file name or path ("js/app-2.min.js") is no malware name */
  const char *dot = NULL;
  for (const char *q = r; q < e; q++)
    if (*q == '.')
      dot = q;
  if (dot) {
    char *ext = g_strndup (dot + 1, e - dot - 1);
    gboolean file = equal_any (ext, file_extensions, N (file_extensions));
    g_free (ext);
    if (file)
      return FALSE;
  }
  for (const char *q = r + 1; q < e; q++)
    if (*q == '.' || *q == '!' || *q == '-' || g_ascii_isdigit (*q))
      return TRUE;
  return FALSE;
}

/* The prefixes of malware names, in one index (usc-match.h): the tables
 * below, one after the other, each in its own order. */
enum { MAL_PLATFORM, MAL_BARE, MAL_EICAR, MAL_TYPE, MAL_CLAMAV, MAL_NTABS };

static const char *const malware_eicar[] = { "eicar" };

typedef struct {
  UscMatch *m;
  const char **pat;      /* the entries of every table */
  guint end[MAL_NTABS];  /* table t: entries [end[t-1], end[t]) */
} MalwareIndex;

static const MalwareIndex *
malware_index (void)
{
  static MalwareIndex mi;
  static gsize done = 0;
  if (g_once_init_enter (&done)) {
    static const struct { const char *const *tab; guint n; } tabs[MAL_NTABS] = {
      [MAL_PLATFORM] = { malware_platforms, N (malware_platforms) },
      [MAL_BARE] = { malware_bare_prefixes, N (malware_bare_prefixes) },
      [MAL_EICAR] = { malware_eicar, N (malware_eicar) },
      [MAL_TYPE] = { malware_types, N (malware_types) },
      [MAL_CLAMAV] = { malware_clamav_platforms, N (malware_clamav_platforms) },
    };
    GPtrArray *pats = g_ptr_array_new ();
    for (guint t = 0; t < MAL_NTABS; t++) {
      for (guint i = 0; i < tabs[t].n; i++)
        g_ptr_array_add (pats, (gpointer) tabs[t].tab[i]);
      mi.end[t] = pats->len;
    }
    guint n = pats->len;
    mi.pat = (const char **) g_ptr_array_free (pats, FALSE);
    mi.m = usc_match_new (mi.pat, n);
    g_once_init_leave (&done, 1);
  }
  return &mi;
}

/* How many malware names (by the engines' naming shapes, see the tables)
 * does the lower-case text @lc contain (at most 4)? The prefixes are found
 * in one pass (malware_index); at each word start that has one, the first
 * entry of each table there is the one prefix_any() would give. */
static int
malware_names (const char *lc)
{
  int k = 0;
  if (lc == NULL)
    return 0;
  const MalwareIndex *mi = malware_index ();
  GArray *occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  usc_match_all (mi->m, lc, strlen (lc), occ);
  guint oi = 0;
  for (const char *p = lc; *p && k < 4; p++) {
    while (oi < occ->len && g_array_index (occ, UscMatchOcc, oi).pos < (gsize) (p - lc))
      oi++;
    if (oi == occ->len)
      break;  /* no prefix from here on */
    p = lc + g_array_index (occ, UscMatchOcc, oi).pos;  /* none in between */
    if (!g_ascii_isalpha (*p) || !word_start (lc, p))
      continue;
    const char *first[MAL_NTABS] = { NULL };
    guint first_idx[MAL_NTABS];
    for (guint j = oi; j < occ->len && g_array_index (occ, UscMatchOcc, j).pos == (gsize) (p - lc); j++) {
      guint idx = g_array_index (occ, UscMatchOcc, j).idx, t = 0;
      while (idx >= mi->end[t])
        t++;
      if (first[t] == NULL || idx < first_idx[t]) {
        first[t] = mi->pat[idx];
        first_idx[t] = idx;
      }
    }
    const char *hit = NULL;
    gboolean found = FALSE;
    if ((hit = first[MAL_PLATFORM]) != NULL && p[0] != ' ')
      found = malware_rest (p + strlen (hit));
    if (!found && (hit = first[MAL_BARE]) != NULL && p[0] != ' ') {
      const char *r = p + strlen (hit), *e = r;
      while (g_ascii_isalnum (*e))
        e++;
      found = e - r >= 4;
    }
    if (!found && first[MAL_EICAR] && (p[5] == '-' || p[5] == '_' || p[5] == '.'))
      found = TRUE;
    if (!found && (hit = first[MAL_TYPE]) != NULL) {
      /* "gen:variant" + ".razy.912": the prefix may end before its dot */
      const char *r = p + strlen (hit);
      if ((*r == '.' || *r == ':') && g_ascii_isalnum (r[1]) && g_ascii_isalnum (hit[strlen (hit) - 1]))
        r++;
      found = malware_rest (r);
    }
    if (!found && (hit = first[MAL_CLAMAV]) != NULL) {
      const char *q = p + strlen (hit);
      const char *cat = NULL;
      if (prefix_any (q, malware_clamav_categories, N (malware_clamav_categories), &cat) && q[0] != ' ')
        found = malware_rest (q + strlen (cat)) || g_ascii_isalpha (q[strlen (cat)]);
    }
    if (found) {
      k++;
      while (*p && malware_char (*p))
        p++;
      if (!*p)
        break;
    }
  }
  g_array_unref (occ);
  return k;
}

/* Does the text hold a <msg-id> (a notice naming the message it is about)? */
static gboolean
text_has_msgid (const char *s)
{
  int tries = 0;
  for (const char *p = strchr (s, '<'); p && tries < 200; p = strchr (p + 1, '<'), tries++) {
    char *id = msgid_in (p, TRUE);
    if (id) {
      g_free (id);
      return TRUE;
    }
  }
  return FALSE;
}

/* A link whose URL asks to confirm / verify / release. */
static gboolean
confirm_link (const char *s)
{
  int tries = 0;
  for (const char *p = strstr (s, "http"); p && tries < 100; p = strstr (p + 4, "http"), tries++) {
    if (!g_str_has_prefix (p, "http://") && !g_str_has_prefix (p, "https://"))
      continue;
    const char *e = p;
    while (*e && !g_ascii_isspace (*e) && *e != '"' && *e != '>' && *e != '<')
      e++;
    char *url = g_strndup (p, e - p);
    gboolean r = contains_any (url, challenge_url_words, N (challenge_url_words), NULL);
    g_free (url);
    if (r)
      return TRUE;
  }
  return FALSE;
}

/* A Reply-To (other than From) whose local part confirms by answering. */
static gboolean
confirm_reply_to (Ctx *c)
{
  InternetAddressList *l = g_mime_message_get_reply_to (c->msg->mime);
  char *addr = NULL, *name = NULL;
  first_mailbox (l, &addr, &name);
  gboolean r = FALSE;
  if (addr && (!c->from_addr || g_ascii_strcasecmp (addr, c->from_addr) != 0)) {
    const char *at = strchr (addr, '@');
    char *local = g_ascii_strdown (addr, at ? at - addr : -1);
    r = contains_any (local, challenge_reply_to_words, N (challenge_reply_to_words), NULL);
    g_free (local);
  }
  g_free (addr);
  g_free (name);
  return r;
}

/* Exchange inbox rule answer: the loop header, and a subject made of an
 * unknown prefix and the Thread-Topic (the original subject). */
static gboolean
exchange_rule_reply (Ctx *c, GMimeObject *top)
{
  if (!any_header (top, exchange_rule_headers, N (exchange_rule_headers)))
    return FALSE;
  const char *tt = hdr (top, "Thread-Topic");
  if (tt == NULL || c->subject_lc == NULL)
    return FALSE;
  char *dec = g_mime_utils_header_decode_text (NULL, tt);
  char *topic = g_utf8_strdown (g_strstrip (dec), -1);
  g_free (dec);
  gsize sl = strlen (c->subject_lc), tl = strlen (topic);
  gboolean r = tl >= 3 && sl > tl + 1 && strcmp (c->subject_lc + sl - tl, topic) == 0 &&
               !prefix_any (c->subject_lc, human_subject_prefixes, N (human_subject_prefixes), NULL);
  g_free (topic);
  return r;
}

/* "<prefix>: rest" whose prefix is one to three words, one of them with
 * the stem of "automatic" (autoreply_subject_stems): an automatic answer's
 * subject in a language the prefix table does not list. */
static gboolean
stem_subject_prefix (const char *subject_lc)
{
  const char *s = skip_brackets (subject_lc);
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
  gboolean r = words <= 3 && contains_any (pre, autoreply_subject_stems, N (autoreply_subject_stems), NULL) &&
               !contains_any (pre, autoreply_stem_exclusions, N (autoreply_stem_exclusions), NULL);
  g_free (pre);
  return r;
}

static void
gather_evidence (Ctx *c, Evidence *e)
{
  GMimeObject *top = GMIME_OBJECT (c->msg->mime);
  const char *s = e->scan_lc = unquoted_lower (c->text->str, SCAN_MAX);
  e->tm = text_matcher ();
  e->hits = g_new (gssize, usc_match_size (e->tm->m));
  usc_match_first_each (e->tm->m, s, strlen (s), e->hits);

  /* structure */
  e->report_ct = c->report_type && strstr (c->report_type, "delivery-status");
  for (guint i = 0; i < c->reports->len; i++) {
    UscDsnReport *r = c->reports->pdata[i];
    if (r->recipients->len > 0 || r->reporting_mta)
      e->report_dsn = TRUE;
  }
  if (c->reports->len == 0) {
    /* delivery-status fields in the text (a report whose MIME structure is
     * lost): used for the recipients, not as evidence of a report (a
     * person may paste them) */
    const char *f = text_find (e, "final-recipient:");
    const char *r = text_find (e, "reporting-mta:");
    const char *st = r && (!f || r < f) ? r : f;
    if (st && f) {
      UscDsnReport *rep = usc_dsn_parse (st, strlen (st), NULL);
      if (rep)
        g_ptr_array_add (c->reports, rep);
    }
  }
  e->ses = ses_json (c, s, FALSE);
  if (e->ses)
    e->report_dsn = TRUE;
  e->report_arf = c->feedback_part || (c->report_type && strstr (c->report_type, "feedback-report"));
  e->mdn = c->report_type && strstr (c->report_type, "disposition-notification") && !e->report_arf;
  e->hotmail_fbl = strstr (c->subject_lc, "complaint about message from") && c->returned->len > 0;
  e->returned = c->returned->len > 0 || text_separator (e) >= 0;
  for (guint i = 0; i < c->returned->len && !e->returned_bounce; i++) {
    const char *src = c->returned_src->pdata[i];
    if (strcmp (src, "message/rfc822") == 0 || strcmp (src, "message/global") == 0)
      e->returned_bounce = looks_like_bounce (c->returned->pdata[i]);
  }

  /* sender */
  e->daemon_local = c->from_local &&
    (equal_any (c->from_local, daemon_local_parts, N (daemon_local_parts)) ||
     prefix_any (c->from_local, daemon_local_prefixes, N (daemon_local_prefixes), NULL));
  e->weak_local = c->from_local && equal_any (c->from_local, weak_daemon_local_parts, N (weak_daemon_local_parts));
  e->daemon_name = contains_any (c->from_name, daemon_display_names, N (daemon_display_names), &e->daemon_hit);
  e->daemon = e->daemon_local || e->daemon_name || c->null_sender;
  e->virus_sender = (c->from_local && equal_any (c->from_local, virus_local_parts, N (virus_local_parts))) ||
                    contains_any (c->from_name, virus_display_names, N (virus_display_names), NULL);

  /* headers */
  e->x_failed = hdr (top, "X-Failed-Recipients") != NULL;
  const char *auto_sub = hdr (top, "Auto-Submitted");
  if (auto_sub) {
    char *lc = g_strstrip (g_ascii_strdown (auto_sub, -1));
    e->auto_replied = strstr (lc, "auto-replied") != NULL;
    e->auto_any = !g_str_has_prefix (lc, "no");
    g_free (lc);
  }
  e->mua = any_header (top, human_headers, N (human_headers));
  e->list = any_header (top, list_headers, N (list_headers));
  e->in_reply = hdr (top, "In-Reply-To") != NULL || hdr (top, "References") != NULL;
  e->chal_sw = any_header (top, challenge_headers, N (challenge_headers)) ||
               header_name_prefix (top, challenge_header_prefixes, N (challenge_header_prefixes));
  for (guint i = 0; i < N (challenge_header_values) && !e->chal_sw; i++)
    e->chal_sw = header_has (top, challenge_header_values[i].name, challenge_header_values[i].value);
  e->virus_hdr = virus_header_verdict (top);

  /* wording */
  e->subject_dsn = contains_any (c->subject_lc, dsn_subjects, N (dsn_subjects), &e->subject_hit);
  for (guint i = 0; i < N (dsn_body_markers); i++)
    if (e->hits[e->tm->markers_off + i] >= 0) {
      if (dsn_body_markers[i].strong)
        e->strong++;
      else
        e->weak++;
      if (!e->first_marker || (dsn_body_markers[i].strong && e->strong == 1))
        e->first_marker = dsn_body_markers[i].needle;
    }
  e->virus_subject = contains_any (c->subject_lc, virus_subjects, N (virus_subjects), NULL);
  e->virus_body = text_count (e, virus_body_markers, N (virus_body_markers));
  e->malware = malware_names (s);
  if (!e->virus_subject && malware_names (c->subject_lc))
    e->virus_subject = TRUE;

  /* signs of a person: Auto-Submitted and the null sender are never set by
   * people; a daemon address can be a person's (postmaster answering) */
  gboolean machine = e->auto_any || c->null_sender || e->chal_sw;
  const char *hsubj = NULL;
  int reply = 0;
  if (prefix_any (c->subject_lc, human_subject_prefixes, N (human_subject_prefixes), &hsubj) && !machine)
    reply += (hsubj[0] == 'r' || hsubj[0] == 'a' || hsubj[0] == 's') ? 3 : 6;  /* reply 3, forward 6 */
  if (e->in_reply && !machine)
    reply += 2;
  /* some daemons answer "Re: subject" with their boilerplate */
  if (e->daemon_local && e->strong)
    reply /= 2;
  e->human += reply;
  if (e->mua)
    e->human += 3;
  if (e->list)
    e->human += 2;
  if (!machine && text_count (e, forward_markers, N (forward_markers)))
    e->human += 3;

  /* non-delivery report */
  int dsn = 0;
  if (e->report_dsn)
    dsn += 10;
  else if (e->report_ct)
    dsn += 5;
  if (e->x_failed)
    dsn += 5;
  if (c->null_sender)
    dsn += 2;
  if (e->daemon_local)
    dsn += 4;
  else if (e->daemon_name)
    dsn += 3;
  else if (e->weak_local)
    dsn += 1;
  if (e->subject_dsn)
    dsn += 3;
  if (e->strong)
    dsn += 5 + MIN (e->strong - 1, 2);
  else if (e->weak)
    dsn += MIN (e->weak, 2) + (e->weak >= 3 ? 1 : 0);
  if (c->header_copy)
    dsn += 3;  /* text/rfc822-headers: only reports return header blocks */
  else if (e->returned && (e->daemon_local || e->daemon_name))
    dsn += 2;
  else if (e->returned && dsn >= 3)
    dsn += 1;
  if (e->auto_any && !e->auto_replied)
    dsn += 1;
  /* software passing on a bounce it received (an ESP's "forwarded bounce") */
  if (e->returned_bounce && (e->auto_any || e->daemon || e->weak_local))
    dsn += 5;
  e->dsn = dsn - e->human;

  /* auto-reply (RFC 3834) */
  int arep = 0;
  if (e->auto_replied)
    arep += 6;
  for (guint i = 0; i < N (autoreply_headers); i++)
    if (header_has (top, autoreply_headers[i].name, autoreply_headers[i].value)) {
      arep += 6;
      break;
    }
  gboolean reply_subject = prefix_any (c->subject_lc, human_subject_prefixes, N (human_subject_prefixes), NULL);
  if (prefix_any (c->subject_lc, autoreply_subject_prefixes, N (autoreply_subject_prefixes), &e->autoreply_hit) ||
      prefix_any (skip_brackets (c->subject_lc), autoreply_subject_prefixes, N (autoreply_subject_prefixes),
                  &e->autoreply_hit) ||
      (!reply_subject && contains_any (c->subject_lc, autoreply_subject_tokens, N (autoreply_subject_tokens),
                                       &e->autoreply_hit)))
    arep += 5;
  else if (exchange_rule_reply (c, top))
    arep += 5;  /* "<prefix in any language>: <Thread-Topic>" from an inbox rule */
  else if (!reply_subject && stem_subject_prefix (c->subject_lc))
    arep += 4;  /* "<automatic ... in another language>: ..." */
  else if (suffix_any (c->subject_lc, autoreply_subject_phrases, N (autoreply_subject_phrases), &e->autoreply_hit) &&
           !prefix_any (c->subject_lc, human_subject_prefixes, N (human_subject_prefixes), NULL))
    arep += 3;
  else if (prefix_any (c->subject_lc, autoreply_subject_weak_prefixes, N (autoreply_subject_weak_prefixes),
                       &e->autoreply_hit))
    arep += 3;
  /* vacation(1) marks its answers "Precedence: junk" (bulk mail uses
   * "bulk" or "list"): a hint, not enough on its own */
  if (header_has (top, "Precedence", "junk"))
    arep += 2;
  /* Outlook/Exchange mark their automatic messages so (a hint only:
   * notifications carry it too) */
  if (header_has (top, "X-Auto-Response-Suppress", ""))
    arep += 1;
  if (text_any (e, autoreply_body_markers, N (autoreply_body_markers), NULL))
    arep += 2;
  if (e->in_reply)
    arep += 1;
  if (e->auto_any && !e->auto_replied)
    arep += 2;
  /* machine-made and in reply to someone else's message: an automatic
   * answer (RFC 3834 section 3.1.5), not a notification in the sender's own
   * threads (ticket trackers refer to their own Message-IDs) */
  if (e->auto_any && foreign_reference (c))
    arep += 2;
  if (c->null_sender)
    arep += 1;
  /* an auto-reply speaks for a person's mailbox, not for MAILER-DAEMON */
  if (e->daemon_local)
    arep -= 3;
  if (e->mua)
    arep -= 3;
  if (e->list)
    arep -= 2;
  e->arep = arep;

  /* challenge-response */
  int chal = 0;
  gboolean has_link = strstr (s, "http://") || strstr (s, "https://");
  if (e->chal_sw) {
    chal += 6;
    /* ... and it answers a message or offers the way to release it */
    if (e->in_reply || has_link)
      chal += 2;
  }
  if (contains_any (c->subject_lc, challenge_subjects, N (challenge_subjects), NULL))
    chal += 4;
  int cb = text_count (e, challenge_body_markers, N (challenge_body_markers));
  chal += cb ? 3 + MIN (cb - 1, 3) : 0;
  if (e->auto_any || c->null_sender)
    chal += 1;
  /* the shape of a challenge in any wording: an automatic answer with a
   * link, speaking of the sender's message being held / to be delivered */
  gboolean automatic = e->auto_any || c->null_sender || e->chal_sw;
  gboolean signup = contains_any (s, challenge_not_markers, N (challenge_not_markers), NULL) ||
                    contains_any (c->subject_lc, challenge_not_markers, N (challenge_not_markers), NULL);
  /* (a sign-up confirmation's link explains itself: no bonus for it) */
  if (automatic && !signup && confirm_link (s))
    chal += 3;  /* a link whose URL confirms / verifies / releases */
  if (confirm_reply_to (c))
    chal += 4;  /* TMDA-style "-confirm-" Reply-To: answering releases */
  if (automatic && foreign_reference (c) &&
      contains_any (s, challenge_reply_instructions, N (challenge_reply_instructions), NULL))
    chal += 3;
  if (automatic && has_link &&
      contains_any (s, challenge_message_words, N (challenge_message_words), NULL) &&
      contains_any (s, challenge_hold_words, N (challenge_hold_words), NULL))
    chal += 4;
  /* ... but a sign-up confirmation (double opt-in) answers no message */
  if (signup)
    chal -= 6;
  e->chal = chal - e->human;

  /* anti-virus notice */
  int vir = 0;
  if (e->virus_subject)
    vir += 4;
  vir += e->virus_body ? 3 + MIN (e->virus_body - 1, 3) : 0;
  if (e->virus_sender)
    vir += 3;
  if (e->malware)
    vir += 5;  /* a malware name, by the engines' naming shapes */
  if (e->virus_hdr)
    vir += 3;  /* "X-Virus-Status: Infected" */
  if (e->daemon)
    vir += 2;
  if (e->auto_any)
    vir += 1;
  /* a notice about a message (not a security newsletter): it speaks of
   * the message, and comes from a daemon or a scanner */
  gboolean about_message = contains_any (s, virus_context_markers, N (virus_context_markers), NULL) ||
                           e->in_reply || e->returned || c->header_copy || text_has_msgid (s);
  gboolean notice = (e->daemon || e->auto_any || e->virus_sender || e->virus_hdr) && about_message;
  /* a machine's notice about a message that names a malware */
  if (notice && e->malware)
    vir += 2;
  /* ... and never list mail or a newsletter (threat digests name malware) */
  if (!notice || e->list)
    vir = MIN (vir, 8);
  e->vir = vir - e->human;
}

/* Thresholds: no single weak hint makes a bounce. */
#define DSN_MIN 7
#define AUTOREPLY_MIN 6
#define CHALLENGE_MIN 8
#define VIRUS_MIN 9
#define VIRUS_IN_REPORT_MIN 12

static UscKind
decide_kind (Ctx *c, const Evidence *e)
{
  UscBounce *b = c->b;
  UscKind kind = USC_KIND_NOT_BOUNCE;

  if (e->mdn && !e->report_dsn) {
    note (b, "a read receipt (message disposition notification), not a delivery failure");
    return kind;
  }
  if (e->report_arf || e->hotmail_fbl) {
    note (b, e->report_arf ? "RFC 5965 feedback report" : "feedback-loop complaint with the message attached");
    return USC_KIND_FEEDBACK_REPORT;
  }
  if (e->virus_subject && e->virus_body > 0 && e->vir >= VIRUS_IN_REPORT_MIN && e->human < 3) {
    note (b, "anti-virus notice%s", e->report_dsn ? " (in a delivery-status report)" : "");
    return USC_KIND_VIRUS_NOTICE;
  }
  if (e->report_dsn && e->human < 6) {
    note (b, e->ses ? "Amazon SES bounce notification" : "multipart/report delivery-status (RFC 3464)");
    return USC_KIND_DSN;
  }
  /* the most specific kind first: challenges and virus notices often carry
   * auto-reply headers, auto-replies bounce-like senders */
  if (e->chal >= CHALLENGE_MIN && !e->x_failed && e->chal >= e->dsn - 3)
    kind = USC_KIND_CHALLENGE;
  else if (e->vir >= VIRUS_MIN && e->vir >= e->dsn - 3 && e->strong == 0)
    kind = USC_KIND_VIRUS_NOTICE;
  else if (e->dsn >= DSN_MIN && (e->dsn >= e->arep || e->strong || e->x_failed))
    kind = USC_KIND_DSN;
  else if (e->arep >= AUTOREPLY_MIN)
    kind = USC_KIND_AUTOREPLY;

  switch (kind) {
  case USC_KIND_DSN:
    if (e->first_marker)
      note (b, "non-delivery wording: \"%s\"", e->first_marker);
    if (e->subject_dsn)
      note (b, "subject: \"%s\"", e->subject_hit);
    if (e->daemon_local || e->daemon_name)
      note (b, "sent by a mail daemon (%s)", c->from_addr ? c->from_addr : e->daemon_hit);
    if (c->null_sender)
      note (b, "null envelope sender");
    if (e->x_failed)
      note (b, "X-Failed-Recipients header");
    break;
  case USC_KIND_AUTOREPLY:
    if (e->auto_replied)
      note (b, "Auto-Submitted: auto-replied (RFC 3834)");
    if (e->autoreply_hit)
      note (b, "auto-reply subject: \"%s\"", e->autoreply_hit);
    break;
  case USC_KIND_CHALLENGE:
    note (b, "challenge-response request");
    break;
  case USC_KIND_VIRUS_NOTICE:
    note (b, "anti-virus notice");
    break;
  default:
    if (e->dsn >= 3 || e->arep >= 3)
      note (b, e->human ? "some bounce-like signs, but written or forwarded by a person"
                        : "some bounce-like signs, but not enough for a bounce");
    break;
  }
  return kind;
}

/* ---- what the bounce says about the original ---- */

static UscBounce *analyze (UscMessage *msg, guint level);

/* The original's Message-IDs, best first (see the ranks at each source). */
static void
collect_ids (Ctx *c, const Evidence *e, UscKind kind)
{
  GMimeObject *top = GMIME_OBJECT (c->msg->mime);
  UscBounce *b = c->b;

  /* rank 1: returned message parts; 2: header blocks and part-header copies */
  for (guint i = 0; i < c->returned->len; i++) {
    GMimeMessage *m = c->returned->pdata[i];
    const char *src = c->returned_src->pdata[i];
    const char *id = g_mime_message_get_message_id (m);
    int rank = strcmp (src, "message/rfc822") == 0 || strcmp (src, "message/global") == 0 ? 1 : 2;
    if (rank == 1 && c->level == 0 && c->inner == NULL && looks_like_bounce (m)) {
      /* A bounce inside this one. In a double bounce (this is a report
       * about the bounce that failed) the returned bounce's own ID comes
       * first; when software merely passes a bounce on (an ESP's
       * "forwarded bounce"), the inner bounce's ID is nobody's original. */
      UscMessage im = { 0 };
      im.mime = m;
      im.limits = c->msg->limits;
      im.deadline = c->msg->deadline;
      c->inner = analyze (&im, c->level + 1);
      if (c->inner && c->inner->kind == USC_KIND_DSN) {
        if (id && e->report_dsn)
          add_cand_own (c, g_strdup (id), src, rank, TRUE);
        for (guint k = 0; k < c->inner->message_ids->len; k++)
          add_cand (c, g_strdup (c->inner->message_ids->pdata[k]), c->inner->id_sources->pdata[k], 1);
        continue;
      }
    }
    if (id)
      add_cand_own (c, g_strdup (id), src, rank, strcmp (src, "quoted") != 0);
    const char *xo = hdr (GMIME_OBJECT (m), "X-Original-Message-ID");
    if (xo)
      add_cand (c, msgid_in (xo, FALSE), "x-original-message-id", 4);
  }
  /* rank 3: X-Original-Message-ID in the report or the bounce's header */
  for (guint i = 0; i < c->reports->len; i++) {
    UscDsnReport *r = c->reports->pdata[i];
    if (r->original_message_id)
      add_cand (c, g_strdup (r->original_message_id), "x-original-message-id", 3);
  }
  static const char *const xo_fields[] = { "X-Original-Message-ID", "Original-Message-ID" };
  for (guint i = 0; i < N (xo_fields); i++) {
    const char *xo = hdr (top, xo_fields[i]);
    if (xo)
      add_cand (c, msgid_in (xo, FALSE), "x-original-message-id", 3);
  }
  if (e->ses)
    ses_json (c, e->scan_lc, TRUE);
  /* ranks 5-7: inline copies, quoted originals, IDs named in the text */
  scan_text_ids (c);
  /* In-Reply-To / References: what an auto-reply answers; a weak hint in a DSN */
  gboolean reply_kind = kind == USC_KIND_AUTOREPLY || kind == USC_KIND_CHALLENGE;
  add_refs (c, hdr (top, "In-Reply-To"), "in-reply-to", reply_kind ? 0 : 8, FALSE);
  add_refs (c, hdr (top, "References"), "references", reply_kind ? 1 : 9, TRUE);

  g_array_sort (c->cands, cand_cmp);
  for (guint i = 0; i < c->cands->len; i++) {
    IdCand *ic = &g_array_index (c->cands, IdCand, i);
    char *id = ic->id;
    ic->id = NULL;
    gboolean dup = FALSE;
    for (guint k = 0; k < b->message_ids->len && !dup; k++)
      dup = strcmp (b->message_ids->pdata[k], id) == 0;
    if (dup || b->message_ids->len >= 32) {
      g_free (id);
      continue;
    }
    g_ptr_array_add (b->message_ids, id);
    g_ptr_array_add (b->id_sources, g_strdup (ic->source));
  }
  if (b->message_ids->len)
    note (b, "original Message-ID from %s", (const char *) b->id_sources->pdata[0]);
}

/* Subject, Date, ENVID and envelope sender of the original. */
static void
collect_original (Ctx *c, UscKind kind)
{
  UscBounce *b = c->b;
  GMimeMessage *orig = c->returned->len ? c->returned->pdata[0] : NULL;
  if (orig) {
    const char *s = g_mime_message_get_subject (orig);
    if (s)
      b->subject = g_strdup (s);
    const char *d = hdr (GMIME_OBJECT (orig), "Date");
    if (d) {
      b->date = g_strdup (d);
      b->original_time = parse_date (d);
    }
  }
  for (guint i = 0; i < c->reports->len && !b->envelope_id; i++) {
    UscDsnReport *r = c->reports->pdata[i];
    if (r->envelope_id)
      b->envelope_id = g_strdup (r->envelope_id);
  }
  for (guint i = 0; i < c->reports->len && !b->envelope_sender; i++) {
    UscDsnReport *r = c->reports->pdata[i];
    if (r->x_sender && strchr (r->x_sender, '@'))
      b->envelope_sender = g_strdup (r->x_sender);
  }
  for (guint i = 0; i < c->returned->len && !b->envelope_sender; i++) {
    char *a = msgid_in (hdr (GMIME_OBJECT (c->returned->pdata[i]), "Return-Path"), FALSE);
    if (a) {
      b->envelope_sender = g_ascii_strdown (a, -1);
      g_free (a);
    }
  }
  /* a DSN goes to the original's envelope sender */
  if (!b->envelope_sender && kind == USC_KIND_DSN && c->to_addr)
    b->envelope_sender = g_strdup (c->to_addr);
}

/* @a names a mailbox: local part @ domain, neither empty ("@mx.example.org"
 * is a host, seen in Final-Recipient fields of broken DSNs). */
static gboolean
has_mailbox (const char *a)
{
  const char *at = a ? strchr (a, '@') : NULL;
  return at && at > a && at[1] != '\0' && at[1] != '>' && at[1] != ' ';
}

/* Failed recipients, status codes and diagnostics from the reports;
 * Diagnostic-Code and Remote-MTA texts go to @diag_all, Reporting-MTAs to
 * @reporting_all (both lower-case, for the MTA family). */
static void
collect_report_failures (Ctx *c, GString *diag_all, GString *reporting_all)
{
  UscBounce *b = c->b;
  for (guint i = 0; i < c->reports->len; i++) {
    UscDsnReport *r = c->reports->pdata[i];
    if (r->reporting_mta) {
      if (!b->reporting_mta)
        b->reporting_mta = g_strdup (r->reporting_mta);
      char *lc = g_ascii_strdown (r->reporting_mta, -1);
      g_string_append_printf (reporting_all, "%s ", lc);
      g_free (lc);
    }
    for (guint k = 0; k < r->recipients->len; k++) {
      UscDsnRecipient *rc = r->recipients->pdata[k];
      if (rc->action && (g_str_has_prefix (rc->action, "deliver") || g_str_has_prefix (rc->action, "relay") ||
                         g_str_has_prefix (rc->action, "expand")))
        continue;  /* not a failure */
      /* a Final-Recipient of address type LOCAL / X-Unix ("jdoe") names no
       * mail address: the Original-Recipient does */
      const char *a = has_mailbox (rc->final_recipient) ? rc->final_recipient : rc->original_recipient;
      if (has_mailbox (a))
        add_recipient (c, g_strdup (a));
      /* an alias expanded on the way ("expanded from <x>"): the address the
       * sender wrote is the Original-Recipient, and that is what a sent
       * record holds */
      if (a != rc->original_recipient && has_mailbox (rc->original_recipient))
        add_recipient (c, g_strdup (rc->original_recipient));
      if (rc->status && usc_dsn_status_valid (rc->status))
        add_status (c, g_strdup (rc->status));
      /* a generic x.0.0 often hides the real code in the diagnostic */
      if (rc->status && g_str_has_suffix (rc->status, ".0.0") && rc->diagnostic) {
        GPtrArray *more = g_ptr_array_new_with_free_func (g_free);
        scan_status (more, rc->diagnostic);
        for (guint m = 0; m < more->len; m++)
          if (((char *) more->pdata[m])[0] == rc->status[0])
            add_status (c, g_strdup (more->pdata[m]));
        g_ptr_array_unref (more);
      }
      if (rc->diagnostic) {
        if (b->diagnostics->len < 8)
          usc_ptr_array_add_unique (b->diagnostics, short_copy (rc->diagnostic, 200), FALSE);
        char *lc = g_ascii_strdown (rc->diagnostic, -1);
        g_string_append_printf (diag_all, "%s\n", lc);
        g_free (lc);
      }
      if (rc->remote_mta) {
        char *lc = g_ascii_strdown (rc->remote_mta, -1);
        g_string_append_printf (diag_all, "%s\n", lc);
        g_free (lc);
      }
    }
  }
  const char *xfr = hdr (GMIME_OBJECT (c->msg->mime), "X-Failed-Recipients");
  if (xfr && b->recipients->len == 0) {
    char **v = g_strsplit (xfr, ",", 50);
    for (guint i = 0; v[i]; i++) {
      char *a = msgid_in (v[i], FALSE);
      if (a) {
        add_recipient (c, g_ascii_strdown (a, -1));
        g_free (a);
      }
    }
    g_strfreev (v);
  }
}

/* The notice's own words, before any copy of the original. Newly allocated. */
static char *
diagnostic_region (Ctx *c)
{
  const char *dtext = c->have_first ? c->text->str + c->first_off : c->text->str;
  gsize dlen = c->have_first ? c->first_text_len : c->text->len;
  char *diag = g_strndup (dtext, MIN (dlen, SCAN_MAX));
  gssize sep = region_separator (c, diag, (gsize) (dtext - c->text->str), strlen (diag));
  if (sep > 0)
    diag[sep] = '\0';
  return diag;
}

/* All of the notice's own text (every text part, not only the first),
 * up to the first copy of the original. Newly allocated. */
static char *
notice_region (Ctx *c)
{
  char *all = g_strndup (c->text->str, MIN (c->text->len, SCAN_MAX));
  gssize sep = region_separator (c, all, 0, strlen (all));
  if (sep > 0)
    all[sep] = '\0';
  return all;
}

/* "... the message you sent to <addr> was infected", "your message to
 * addr": an address right after a phrase naming the destination
 * (recipient_phrases), line breaks counting as spaces. */
static void
phrase_recipient (Ctx *c, const char *text)
{
  char *lc = g_ascii_strdown (text, -1);
  for (char *p = lc; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  for (guint i = 0; i < N (recipient_phrases) && c->b->recipients->len == 0; i++) {
    gsize pl = strlen (recipient_phrases[i]);
    for (const char *h = lc; (h = strstr (h, recipient_phrases[i])) != NULL; h += pl) {
      const char *q = h + pl;
      while (*q == ' ' || *q == '<' || *q == '"' || *q == '\'')
        q++;
      char *a = addr_at (q, NULL);
      if (a && !is_own_address (c, a) && !is_known_id (c, a)) {
        add_recipient (c, a);
        break;
      }
      g_free (a);
    }
  }
  g_free (lc);
}

/* Whom a complained-about message was delivered to (RFC 5965 section 3.2):
 * the report's Original-Rcpt-To fields, else the feedback-loop header
 * that names it in the returned copy, else the copy's To addresses. */
static void
collect_feedback_recipients (Ctx *c)
{
  UscBounce *b = c->b;
  if (c->feedback_text) {
    char **lines = g_strsplit (c->feedback_text, "\n", 200);
    for (guint i = 0; lines[i] && b->recipients->len < 50; i++) {
      const char *l = lines[i];
      for (guint k = 0; k < N (feedback_recipient_fields); k++) {
        gsize n = strlen (feedback_recipient_fields[k]);
        if (g_ascii_strncasecmp (l, feedback_recipient_fields[k], n) != 0)
          continue;
        char *a = addr_at (l + n + strspn (l + n, " \t<\""), NULL);
        if (a && strchr (a, '@'))
          add_recipient (c, a);
        else
          g_free (a);
        break;
      }
    }
    g_strfreev (lines);
  }
  GMimeMessage *orig = c->returned->len ? c->returned->pdata[0] : NULL;
  if (b->recipients->len > 0 || !orig)
    return;
  for (guint k = 0; k < N (feedback_copy_recipient_headers) && b->recipients->len == 0; k++) {
    const char *v = hdr (GMIME_OBJECT (orig), feedback_copy_recipient_headers[k]);
    char *a = v ? msgid_in (v, FALSE) : NULL;
    if (a && strchr (a, '@'))
      add_recipient (c, g_ascii_strdown (a, -1));
    g_free (a);
  }
  if (b->recipients->len > 0)
    return;
  InternetAddressList *to = g_mime_message_get_addresses (orig, GMIME_ADDRESS_TYPE_TO);
  int tn = to ? internet_address_list_length (to) : 0;
  for (int i = 0; i < tn && i < 10; i++) {
    InternetAddress *ia = internet_address_list_get_address (to, i);
    if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
      const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
      if (a && strchr (a, '@') && a[strlen (a) - 1] != '@' && !is_own_address (c, a))
        add_recipient (c, g_ascii_strdown (a, -1));
    }
  }
}

/* Recipients, status codes, diagnostics and the reporting host of a
 * non-standard (text) notice. */
static void
collect_text_failures (Ctx *c, const char *diag)
{
  UscBounce *b = c->b;
  GMimeMessage *orig = c->returned->len ? c->returned->pdata[0] : NULL;
  char *whole = notice_region (c);
  if (b->recipients->len == 0)
    scan_text_recipients (c, diag);
  if (b->recipients->len == 0)
    phrase_recipient (c, diag);
  /* the first text part may only say "see the HTML part" / "details below" */
  if (b->recipients->len == 0 && strcmp (whole, diag) != 0) {
    scan_text_recipients (c, whole);
    if (b->recipients->len == 0)
      phrase_recipient (c, whole);
  }
  if (b->recipients->len == 0 && orig) {
    /* last resort: whom the returned original was addressed to */
    InternetAddressList *to = g_mime_message_get_addresses (orig, GMIME_ADDRESS_TYPE_TO);
    int tn = to ? internet_address_list_length (to) : 0;
    for (int i = 0; i < tn && i < 10; i++) {
      InternetAddress *ia = internet_address_list_get_address (to, i);
      if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
        const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
        if (a && strchr (a, '@') && !is_own_address (c, a))
          add_recipient (c, g_ascii_strdown (a, -1));
      }
    }
  }
  if (b->status->len == 0)
    scan_status (b->status, diag);
  if (b->status->len == 0)
    scan_status (b->status, whole);
  g_free (whole);
  if (b->diagnostics->len == 0) {
    char **lines = split_lines (diag, 2000);
    for (guint i = 0; lines[i] && b->diagnostics->len < 3; i++) {
      char *l = g_strstrip (lines[i]);
      GPtrArray *tmp = g_ptr_array_new_with_free_func (g_free);
      scan_status (tmp, l);
      if (tmp->len && strlen (l) > 8)
        usc_ptr_array_add_unique (b->diagnostics, short_copy (l, 200), FALSE);
      g_ptr_array_unref (tmp);
    }
    free_lines (lines);
  }
  if (!b->reporting_mta) {
    char *lc = g_ascii_strdown (diag, -1);
    for (guint i = 0; i < N (reporting_host_markers) && !b->reporting_mta; i++) {
      const char *h = strstr (lc, reporting_host_markers[i]);
      if (h) {
        h += strlen (reporting_host_markers[i]);
        const char *e = h;
        while (dom_char (*e))
          e++;
        while (e > h && e[-1] == '.')
          e--;
        if (e > h)
          b->reporting_mta = g_strndup (h, e - h);
      }
    }
    g_free (lc);
  }
}

/* Cut a lower-cased Received value at its "by" clause, whatever white
 * space (a fold: "\n\tby", a tab) precedes it. */
static void
cut_by_clause (char *lc)
{
  for (char *p = lc; *p; p++)
    if ((p == lc || g_ascii_isspace (p[-1])) && g_str_has_prefix (p, "by") && (p[2] == ' ' || p[2] == '\t' || p[2] == '\n')) {
      *p = '\0';
      return;
    }
}

/* The software or service that reported the failure. */
static void
collect_family (Ctx *c, const Evidence *e, const char *diag_all, const char *reporting_all)
{
  GString *rcv = g_string_new (NULL);
  GMimeHeaderList *hl = g_mime_object_get_header_list (GMIME_OBJECT (c->msg->mime));
  int hn = g_mime_header_list_get_count (hl);
  gboolean skipped_top = FALSE;
  for (int i = 0; i < hn && rcv->len < 65536; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at (hl, i);
    if (g_ascii_strcasecmp (g_mime_header_get_name (h), "Received") != 0)
      continue;
    const char *v = g_mime_header_get_value (h);
    if (v == NULL)
      continue;
    char *lc = g_ascii_strdown (v, -1);
    if (!skipped_top) {
      /* the topmost Received is the user's own server taking the bounce
       * in: only its "from" clause (the sending host) says anything */
      skipped_top = TRUE;
      cut_by_clause (lc);
    }
    g_string_append_printf (rcv, "%s\n", lc);
    g_free (lc);
  }
  char *id_lc = c->own_id ? g_ascii_strdown (c->own_id, -1) : NULL;
  const char *fam = detect_family (c, e->scan_lc, rcv->str, reporting_all, diag_all, id_lc,
                                   e->hits + e->tm->sigs_off);
  if (fam)
    c->b->mta_family = g_strdup (fam);
  g_free (id_lc);
  g_string_free (rcv, TRUE);
}

static void
ctx_clear (Ctx *c)
{
  usc_bounce_free (&c->inner);
  for (guint i = 0; i < c->cands->len; i++)
    g_free (g_array_index (c->cands, IdCand, i).id);
  g_array_unref (c->cands);
  for (guint i = 0; i < c->reports->len; i++) {
    UscDsnReport *r = c->reports->pdata[i];
    usc_dsn_report_free (&r);
  }
  g_ptr_array_unref (c->reports);
  g_ptr_array_unref (c->returned);
  g_ptr_array_unref (c->returned_src);
  g_ptr_array_unref (c->payloads);
  g_string_free (c->text, TRUE);
  if (c->sep_occ)
    g_array_unref (c->sep_occ);
  g_free (c->own_id);
  g_free (c->from_addr);
  g_free (c->from_local);
  g_free (c->from_name);
  g_free (c->subject_lc);
  g_free (c->to_addr);
  g_free (c->report_type);
  g_free (c->boundary_lc);
  g_free (c->feedback_text);
  g_clear_pointer (&c->rcpt_index, g_hash_table_unref);
  g_clear_pointer (&c->status_index, g_hash_table_unref);
}

static UscBounce *
analyze (UscMessage *msg, guint level)
{
  UscBounce *b = usc_bounce_new ();
  Ctx cx = { 0 }, *c = &cx;
  c->msg = msg;
  c->b = b;
  c->level = level;
  c->max_depth = msg->limits.max_depth ? msg->limits.max_depth : 40;
  c->reports = g_ptr_array_new ();
  c->returned = g_ptr_array_new_with_free_func (g_object_unref);
  c->returned_src = g_ptr_array_new ();
  c->text = g_string_new (NULL);
  c->cands = g_array_new (FALSE, FALSE, sizeof (IdCand));
  c->payloads = g_ptr_array_new_with_free_func (g_object_unref);

  gather_headers (c);
  GMimeObject *body = g_mime_message_get_mime_part (msg->mime);
  if (body)
    walk (c, body, 1);
  if (b->truncated)
    note (b, "analysis stopped at a limit (depth, parts or time)");

  Evidence e = { 0 };
  gather_evidence (c, &e);
  UscKind kind = b->kind = decide_kind (c, &e);

  if (kind != USC_KIND_NOT_BOUNCE) {
    for (guint i = 0; i < c->payloads->len; i++)
      sniff_payload (c, c->payloads->pdata[i]);
    if (b->executable)
      note (b, "an executable payload is attached");
    collect_ids (c, &e, kind);
    collect_original (c, kind);

    GString *diag_all = g_string_new (NULL);
    GString *reporting_all = g_string_new (NULL);
    collect_report_failures (c, diag_all, reporting_all);
    if (kind == USC_KIND_DSN || kind == USC_KIND_VIRUS_NOTICE) {
      char *diag = diagnostic_region (c);
      collect_text_failures (c, diag);
      g_free (diag);
      if (c->inner && c->inner->kind == USC_KIND_DSN) {
        /* what the inner bounce knows and we do not */
        if (b->recipients->len == 0)
          for (guint i = 0; i < c->inner->recipients->len; i++)
            add_recipient (c, g_strdup (c->inner->recipients->pdata[i]));
        if (b->status->len == 0)
          for (guint i = 0; i < c->inner->status->len; i++)
            add_status (c, g_strdup (c->inner->status->pdata[i]));
        if (!b->subject && c->inner->subject)
          b->subject = g_strdup (c->inner->subject);
        note (b, "a bounce returned inside this one was analysed too");
      }
    } else if (kind == USC_KIND_FEEDBACK_REPORT) {
      collect_feedback_recipients (c);
    } else if ((kind == USC_KIND_AUTOREPLY || kind == USC_KIND_CHALLENGE) && c->from_addr) {
      /* the one who answered is whom the original went to */
      add_recipient (c, g_strdup (c->from_addr));
    }
    if (kind == USC_KIND_DSN)
      collect_family (c, &e, diag_all->str, reporting_all->str);
    g_string_free (diag_all, TRUE);
    g_string_free (reporting_all, TRUE);
  }

  evidence_clear (&e);
  ctx_clear (c);
  return b;
}

UscBounce *
usc_bounce_analyze (UscMessage *msg, GError **error)
{
  if (msg == NULL || msg->mime == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "no message");
    return NULL;
  }
  return analyze (msg, 0);
}
