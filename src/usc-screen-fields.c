/* usc-screen-fields.c — the header-first screen's tests of the From and
 * the top-level header fields (S1-S3 of the argument in usc-screen.c): a
 * daemon's or scanner's From, a null sender, and the fields whose name or
 * value the analysis scores (failed recipients, Auto-Submitted, auto-reply
 * and challenge software fields, Exchange inbox rules, Precedence, a scan
 * field's verdict), looked up by name in a table built on first use.
 */
#include "config.h"
#include "usc-screen-private.h"

#include <string.h>

/* The analysis' tables and its own text helpers (usc_prefix_any,
 * usc_equal_any): the screen must read a part exactly as
 * the analysis does. This file reads only some of the tables. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-const-variable"
#pragma GCC diagnostic ignored "-Wunused-variable"
#include "usc-bounce-private.h"
#pragma GCC diagnostic pop

/* The analysis' odd_sender() on one From address: none, empty, a quoted
 * local part, or a space in it. */
static gboolean
odd_address (const char *a)
{
  return a == NULL || *a == '\0' || strchr (a, '"') || (strchr (a, ' ') && strchr (a, '@'));
}

/* S1: no From mailbox is a daemon's or a scanner's, by the analysis' own
 * tests (usc_gather_evidence(): the local part equal to one of
 * daemon_local_parts or virus_local_parts or starting with one of
 * daemon_local_prefixes, the lower-cased display name containing one of
 * daemon_display_names or virus_display_names), on every mailbox where the
 * analysis reads the first. A local part of weak_daemon_local_parts
 * ("noreply", "notifications") sets *@weak: the DSN score's 1 point, which
 * the structure must then keep from growing (usc_screen_structure_is_plain()); with an
 * odd address too (2 points more) the message is left to the analysis. */
gboolean
usc_screen_sender_is_plain (GMimeMessage *mm, gboolean *weak, gboolean *odd, UscScreenWhy *why)
{
  InternetAddressList *l = g_mime_message_get_from (mm);
  int n = l ? internet_address_list_length (l) : 0;
  gboolean any = FALSE;
  for (int i = 0; i < n; i++) {
    InternetAddress *ia = internet_address_list_get_address (l, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
      continue;
    const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
    any = TRUE;
    if (odd_address (a))
      *odd = TRUE;
    const char *nm = internet_address_get_name (ia);
    gboolean bad = FALSE;
    if (a) {
      const char *at = strchr (a, '@');
      char *local = g_ascii_strdown (a, at ? at - a : -1);
      const char *hit = NULL;
      if (usc_equal_any (local, daemon_local_parts, N (daemon_local_parts)) ||
          usc_equal_any (local, virus_local_parts, N (virus_local_parts)) ||
          usc_prefix_any (local, daemon_local_prefixes, N (daemon_local_prefixes), &hit)) {
        bad = TRUE;
        usc_screen_why_word (why, hit ? hit : local);
      } else if (usc_equal_any (local, weak_daemon_local_parts, N (weak_daemon_local_parts))) {
        *weak = TRUE;
        bad = odd_address (a);
        if (bad)
          usc_screen_why_word (why, a);
      }
      g_free (local);
    }
    if (!bad && nm) {
      char *lc = g_utf8_strdown (nm, -1);
      bad = usc_screen_contains (usc_screen_name_words (), lc, why);
      g_free (lc);
    }
    if (bad) {
      usc_screen_why_set (why, "S1 a daemon's or scanner's From");
      return FALSE;
    }
  }
  if (!any)
    *odd = TRUE;  /* no From address: odd_sender() */
  return TRUE;
}

/* What S2 and S3 make of a top-level field, by its lower-cased name. */
enum {
  FIELD_BAD = 1,        /* its presence alone */
  FIELD_VALUED = 2,     /* its value decides */
  FIELD_AUTOREPLY = 4,  /* ... a name of autoreply_headers */
  FIELD_CHALLENGE = 8,  /* ... a name of challenge_header_values */
};

/* The names, by a hash of their lower-cased bytes, in a table built on
 * first use (open addressing, at most a quarter full): the tables' own
 * strings, compared ignoring ASCII case; no allocation. */
#define FIELD_SLOTS 256

typedef struct {
  const char *name;  /* NULL: empty */
  guint len;
  int flags;
} FieldSlot;

static guint
field_hash (const char *name, gsize len)
{
  guint h = 2166136261u;
  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar) (name[i] >= 'A' && name[i] <= 'Z' ? name[i] + ('a' - 'A') : name[i])) * 16777619u;
  return h;
}

static void
field_put (FieldSlot *t, const char *name, int flag)
{
  gsize len = strlen (name);
  for (guint k = field_hash (name, len);; k++) {
    FieldSlot *f = &t[k & (FIELD_SLOTS - 1)];
    if (f->name == NULL) {
      *f = (FieldSlot) { name, (guint) len, flag };
      return;
    }
    if (f->len == len && g_ascii_strncasecmp (f->name, name, len) == 0) {
      f->flags |= flag;
      return;
    }
  }
}

/* The first bytes of challenge_header_prefixes (field_names() sets them). */
static gboolean prefix_first[256];

static const FieldSlot *
field_names (void)
{
  static FieldSlot t[FIELD_SLOTS];
  static gsize once = 0;
  if (g_once_init_enter (&once)) {
    static const char *const bad[] = { "x-failed-recipients", "auto-submitted" };
    for (gsize k = 0; k < G_N_ELEMENTS (bad); k++)
      field_put (t, bad[k], FIELD_BAD);
    for (gsize k = 0; k < N (challenge_headers); k++)
      field_put (t, challenge_headers[k], FIELD_BAD);
    for (gsize k = 0; k < N (exchange_rule_headers); k++)
      field_put (t, exchange_rule_headers[k], FIELD_BAD);
    field_put (t, "precedence", FIELD_VALUED);
    field_put (t, "return-path", FIELD_VALUED);
    for (gsize k = 0; k < N (autoreply_headers); k++)
      field_put (t, autoreply_headers[k].name, FIELD_VALUED | FIELD_AUTOREPLY);
    for (gsize k = 0; k < N (challenge_header_values); k++)
      field_put (t, challenge_header_values[k].name, FIELD_VALUED | FIELD_CHALLENGE);
    /* The first bytes of challenge_header_prefixes (an empty one would
     * match every name). */
    for (gsize k = 0; k < N (challenge_header_prefixes); k++)
      prefix_first[(guchar) challenge_header_prefixes[k][0]] = TRUE;
    G_STATIC_ASSERT (G_N_ELEMENTS (bad) + N (challenge_headers) + N (exchange_rule_headers) + 2 + N (autoreply_headers) +
                     N (challenge_header_values) <= FIELD_SLOTS / 4);
    g_once_init_leave (&once, 1);
  }
  return t;
}

/* The flags of lower-cased name @ln (@len bytes). */
static int
field_flags (const FieldSlot *t, const char *ln, gsize len)
{
  for (guint k = field_hash (ln, len);; k++) {
    const FieldSlot *f = &t[k & (FIELD_SLOTS - 1)];
    if (f->name == NULL)
      return 0;
    if (f->len == len && g_ascii_strncasecmp (f->name, ln, len) == 0)
      return f->flags;
  }
}

/* S2 and S3 for one field whose value decides (lower-cased name @ln, its
 * field_flags() @flags: the tables that name it). */
static gboolean
value_is_plain (const char *ln, int flags, GMimeHeader *h)
{
  /* the analysis reads the first field of a name (header_has()); the
   * screen reads every one */
  const char *value = g_mime_header_get_value (h);
  char *lv = g_ascii_strdown (value ? value : "", -1);
  gboolean bad = FALSE;
  for (gsize k = 0; (flags & FIELD_AUTOREPLY) && k < N (autoreply_headers) && !bad; k++)
    bad = g_ascii_strcasecmp (ln, autoreply_headers[k].name) == 0 && strstr (lv, autoreply_headers[k].value);
  for (gsize k = 0; (flags & FIELD_CHALLENGE) && k < N (challenge_header_values) && !bad; k++)
    bad = g_ascii_strcasecmp (ln, challenge_header_values[k].name) == 0 &&
          strstr (lv, challenge_header_values[k].value);
  if (!bad && strcmp (ln, "precedence") == 0)
    bad = strstr (lv, "junk") != NULL;
  if (!bad && strcmp (ln, "return-path") == 0) {
    const char *v = g_strstrip (lv);
    bad = strcmp (v, "<>") == 0 || strcmp (v, "") == 0 || strcmp (v, "< >") == 0 || strstr (v, "mailer-daemon");
  }
  g_free (lv);
  return !bad;
}

/* A scan header's verdict, as usc_virus_header_verdict() (usc-kind-virus.c)
 * reads it: "X-Virus-Scanned: amavisd-new" is none, "X-Virus-Status:
 * Infected" one. */
static gboolean
virus_verdict (GMimeHeader *h)
{
  const char *value = g_mime_header_get_value (h);
  if (value == NULL)
    return FALSE;
  char *lv = g_ascii_strdown (value, -1);
  gboolean r = usc_contains_any (lv, virus_header_verdicts, N (virus_header_verdicts), NULL) &&
               !usc_contains_any (lv, virus_header_clean, N (virus_header_clean), NULL);
  g_free (lv);
  return r;
}

/* S2 and S3, over every field of the top-level header. */
gboolean
usc_screen_fields_are_plain (GMimeObject *top, gboolean *marked, gboolean *refs, UscScreenWhy *why)
{
  const FieldSlot *names = field_names ();
  GMimeHeaderList *hl = g_mime_object_get_header_list (top);
  int cnt = hl ? g_mime_header_list_get_count (hl) : 0;
  for (int i = 0; i < cnt; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at (hl, i);
    const char *name = h ? g_mime_header_get_name (h) : NULL;
    if (name == NULL)
      continue;
    char buf[64], *big = NULL, *ln = buf;
    gsize len = strlen (name);
    if (len >= sizeof buf)
      ln = big = g_malloc (len + 1);
    for (gsize k = 0; k <= len; k++)
      ln[k] = name[k] >= 'A' && name[k] <= 'Z' ? (char) (name[k] + ('a' - 'A')) : name[k];
    int flags = field_flags (names, ln, len);
    /* usc_prefix_any() skips these before it compares */
    const char *first = ln;
    while (*first == ' ' || *first == '\t' || *first == '"' || *first == '\'')
      first++;
    gboolean bad = (flags & FIELD_BAD) ||
                   ((prefix_first[(guchar) *first] || prefix_first[0]) &&
                    usc_prefix_any (ln, challenge_header_prefixes, N (challenge_header_prefixes), NULL));
    if (!bad && (flags & FIELD_VALUED))
      bad = !value_is_plain (ln, flags, h);
    if (!bad && strstr (ln, "virus") != NULL)
      bad = virus_verdict (h);
    if (strcmp (ln, "in-reply-to") == 0 || strcmp (ln, "references") == 0)
      *refs = TRUE;
    if (!bad && strcmp (ln, "precedence") == 0) {
      /* machine_marked() (usc-kind-autoreply.c): bulk, junk or list */
      const char *v = g_mime_header_get_value (h);
      while (v && (*v == ' ' || *v == '\t'))
        v++;
      if (v && (g_ascii_strncasecmp (v, "bulk", 4) == 0 || g_ascii_strncasecmp (v, "junk", 4) == 0 ||
                g_ascii_strncasecmp (v, "list", 4) == 0))
        *marked = TRUE;
    }
    if (bad) {
      usc_screen_why_set (why, "S2/S3 a field");
      usc_screen_why_word (why, name);
    }
    g_free (big);
    if (bad)
      return FALSE;
  }
  return TRUE;
}

gboolean
usc_screen_has_list_header (GMimeObject *top)
{
  return usc_any_header (top, list_headers, N (list_headers));
}

gboolean
usc_screen_is_list_mail (GMimeMessage *mm)
{
  if (usc_any_header (GMIME_OBJECT (mm), list_headers, N (list_headers)))
    return TRUE;
  InternetAddressList *l = g_mime_message_get_from (mm);
  int n = l ? internet_address_list_length (l) : 0;
  for (int i = 0; i < n; i++) {
    InternetAddress *ia = internet_address_list_get_address (l, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
      continue;
    const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
    const char *at = a ? strchr (a, '@') : NULL;
    char *local = a ? g_strndup (a, at ? (gsize) (at - a) : strlen (a)) : NULL;
    gboolean r = usc_list_role_local (local);
    g_free (local);
    if (r)
      return TRUE;
  }
  return FALSE;
}
