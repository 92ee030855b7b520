/* usc-received.c — Received trace fields (RFC 5321 section 4.4, RFC 5322
 * section 3.6.7) and the first external relay of a message.
 *
 * RFC 5321 gives the clause grammar ("from" Extended-Domain, "by", "via",
 * "with", "id", "for"); what servers really write inside the comments
 * differs, so the parser reads what the common ones put there:
 *   Postfix, sendmail:  from HELO (RDNS [IP])          RDNS may be "unknown"
 *   Exim:               from RDNS ([IP] helo=HELO)      or from [IP] (helo=HELO)
 *   qmail:              from RDNS (HELO helo) (IP)
 *   Exchange:           from HOST (IP) by HOST (IP) with Microsoft SMTP Server
 *   Gmail and others:   from HELO (RDNS. [IP])         IPv6 as [IPv6:...] or bare
 * Nothing in a Received field is trusted beyond the first external hop: a
 * sender writes what it likes below it.
 */
#include "config.h"
#include "usc-received.h"
#include "usc-header.h"

#include <arpa/inet.h>
#include <string.h>

#define MAX_NAME 255
#define MAX_FIELDS 64
#define MAX_VALUE 4096   /* longer fields are cut: no real server writes more */

/* ------------------------------------------------------------------------ */
/* Addresses and the built-in internal table                                 */

typedef struct {
  int    family;     /* AF_INET or AF_INET6 */
  guint8 addr[16];
  guint  bits;
} Prefix;

/* Not the public Internet: a hop from here is one of ours (RFC 6890). */
static const struct { const char *net; guint bits; } internal_nets[] = {
  { "0.0.0.0", 8 },        /* "this network" */
  { "10.0.0.0", 8 },       /* RFC 1918 */
  { "100.64.0.0", 10 },    /* RFC 6598 carrier-grade NAT */
  { "127.0.0.0", 8 },      /* loopback */
  { "169.254.0.0", 16 },   /* link-local */
  { "172.16.0.0", 12 },    /* RFC 1918 */
  { "192.168.0.0", 16 },   /* RFC 1918 */
  { "::", 128 },           /* unspecified */
  { "::1", 128 },          /* loopback */
  { "fc00::", 7 },         /* unique local */
  { "fe80::", 10 },        /* link-local */
};

/* Parse @s as an address; an IPv4-mapped IPv6 address becomes IPv4. */
static gboolean
parse_ip (const char *s, int *family_r, guint8 addr_r[16])
{
  if (s == NULL)
    return FALSE;
  memset (addr_r, 0, 16);
  if (inet_pton (AF_INET, s, addr_r) == 1) {
    *family_r = AF_INET;
    return TRUE;
  }
  if (inet_pton (AF_INET6, s, addr_r) != 1)
    return FALSE;
  static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  if (memcmp (addr_r, mapped, 12) == 0) {
    memmove (addr_r, addr_r + 12, 4);
    memset (addr_r + 4, 0, 12);
    *family_r = AF_INET;
  } else {
    *family_r = AF_INET6;
  }
  return TRUE;
}

static gboolean
prefix_match (const Prefix *p, int family, const guint8 addr[16])
{
  if (p->family != family)
    return FALSE;
  guint full = p->bits / 8, rest = p->bits % 8;
  if (memcmp (p->addr, addr, full) != 0)
    return FALSE;
  if (rest == 0)
    return TRUE;
  guint8 mask = (guint8) (0xff << (8 - rest));
  return (p->addr[full] & mask) == (addr[full] & mask);
}

static gboolean
parse_prefix (const char *spec, Prefix *p)
{
  const char *slash = strchr (spec, '/');
  char *ip = slash ? g_strndup (spec, (gsize) (slash - spec)) : g_strdup (spec);
  gboolean ok = parse_ip (ip, &p->family, p->addr);
  g_free (ip);
  if (!ok)
    return FALSE;
  guint max = p->family == AF_INET ? 32 : 128;
  p->bits = max;
  if (slash) {
    char *end = NULL;
    guint64 b = g_ascii_strtoull (slash + 1, &end, 10);
    if (end == slash + 1 || *end != '\0' || b > max)
      return FALSE;
    /* "::ffff:10.0.0.0/104" was mapped to IPv4 above: its bits shrink too. */
    if (p->family == AF_INET && strchr (spec, ':'))
      b = b >= 96 ? b - 96 : 0;
    p->bits = (guint) b;
  }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The user's own hosts                                                      */

struct _UscInternal {
  GArray    *prefixes;  /* Prefix */
  GPtrArray *domains;   /* owned, lower-case, no leading/trailing dot */
};

/* A plausible host name: letters, digits, '-', '_', '.'; at most MAX_NAME. */
static gboolean
is_hostname (const char *s)
{
  gsize n = 0;
  if (s == NULL || *s == '\0' || *s == '.' || *s == '-')
    return FALSE;
  for (; s[n]; n++)
    if (!g_ascii_isalnum (s[n]) && s[n] != '-' && s[n] != '.' && s[n] != '_')
      return FALSE;
  return n <= MAX_NAME;
}

UscInternal *
usc_internal_new (const char *const *specs)
{
  UscInternal *in = g_new0 (UscInternal, 1);
  in->prefixes = g_array_new (FALSE, FALSE, sizeof (Prefix));
  in->domains = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; specs && specs[i]; i++)
    usc_internal_add (in, specs[i]);
  return in;
}

gboolean
usc_internal_add (UscInternal *in, const char *spec)
{
  if (in == NULL || spec == NULL)
    return FALSE;
  char *s = g_strstrip (g_ascii_strdown (spec, -1));
  gboolean ok = FALSE;
  Prefix p;
  if (*s && parse_prefix (s, &p)) {
    g_array_append_val (in->prefixes, p);
    ok = TRUE;
  } else {
    char *d = s;
    while (*d == '.')
      d++;
    gsize n = strlen (d);
    while (n > 0 && d[n - 1] == '.')
      d[--n] = '\0';
    if (is_hostname (d) && strchr (d, '/') == NULL) {
      g_ptr_array_add (in->domains, g_strdup (d));
      ok = TRUE;
    }
  }
  g_free (s);
  return ok;
}

void
usc_internal_free (UscInternal **in)
{
  if (in == NULL || *in == NULL)
    return;
  g_array_unref ((*in)->prefixes);
  g_ptr_array_unref ((*in)->domains);
  g_free (*in);
  *in = NULL;
}

gboolean
usc_internal_ip (const UscInternal *in, const char *ip)
{
  int family;
  guint8 addr[16];
  if (!parse_ip (ip, &family, addr))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (internal_nets); i++) {
    Prefix p;
    parse_ip (internal_nets[i].net, &p.family, p.addr);
    p.bits = internal_nets[i].bits;
    if (prefix_match (&p, family, addr))
      return TRUE;
  }
  for (guint i = 0; in && i < in->prefixes->len; i++)
    if (prefix_match (&g_array_index (in->prefixes, Prefix, i), family, addr))
      return TRUE;
  return FALSE;
}

gboolean
usc_internal_host (const UscInternal *in, const char *host)
{
  if (in == NULL || host == NULL || *host == '\0')
    return FALSE;
  gsize hn = strlen (host);
  for (guint i = 0; i < in->domains->len; i++) {
    const char *d = in->domains->pdata[i];
    gsize dn = strlen (d);
    if (hn == dn ? g_ascii_strcasecmp (host, d) == 0
                 : hn > dn && host[hn - dn - 1] == '.' && g_ascii_strcasecmp (host + hn - dn, d) == 0)
      return TRUE;
  }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* One field                                                                 */

typedef struct {
  gboolean comment;   /* a (comment), its text without the parentheses */
  char    *text;
} Token;

static void
token_clear (gpointer p)
{
  g_free (((Token *) p)->text);
}

/* Split @v into words and comments at depth 0, up to the top-level ';'
 * (the date follows it). Quoted strings and backslash escapes are kept in
 * the word they belong to. */
static GArray *
tokenize (const char *v)
{
  GArray *t = g_array_new (FALSE, TRUE, sizeof (Token));
  g_array_set_clear_func (t, token_clear);
  const char *p = v;
  while (*p && t->len < 256) {
    while (*p && g_ascii_isspace (*p))
      p++;
    if (*p == '\0' || *p == ';')
      break;
    if (*p == '(') {
      int depth = 0;
      GString *c = g_string_new (NULL);
      for (; *p; p++) {
        if (*p == '\\' && p[1]) {
          g_string_append_c (c, p[1]);
          p++;
          continue;
        }
        if (*p == '(' && depth++ == 0)
          continue;
        if (*p == ')' && --depth == 0) {
          p++;
          break;
        }
        g_string_append_c (c, *p);
      }
      Token tk = { TRUE, g_string_free (c, FALSE) };
      g_array_append_val (t, tk);
      continue;
    }
    const char *s = p;
    gboolean quoted = FALSE;
    for (; *p; p++) {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == '\\' && p[1])
        p++;
      else if (!quoted && (g_ascii_isspace (*p) || *p == '(' || *p == ';'))
        break;
    }
    Token tk = { FALSE, g_strndup (s, (gsize) (p - s)) };
    g_array_append_val (t, tk);
  }
  return t;
}

static gboolean
is_clause_keyword (const char *w)
{
  static const char *const kw[] = { "by", "via", "with", "id", "for", "from" };
  for (gsize i = 0; i < G_N_ELEMENTS (kw); i++)
    if (g_ascii_strcasecmp (w, kw[i]) == 0)
      return TRUE;
  return FALSE;
}

/* @s as an IP in canonical form: "1.2.3.4", "[1.2.3.4]", "[IPv6:...]",
 * "[1.2.3.4]:25", "1.2.3.4:25" (Exim's port). NULL when it is none. */
static char *
ip_of (const char *s)
{
  if (s == NULL)
    return NULL;
  char *w = g_strdup (s);
  char *p = w;
  if (*p == '[') {
    p++;
    char *e = strchr (p, ']');
    if (e == NULL) {
      g_free (w);
      return NULL;
    }
    *e = '\0';
  }
  if (g_ascii_strncasecmp (p, "IPv6:", 5) == 0)
    p += 5;
  /* A trailing ":port" on an IPv4 address. */
  char *colon = strchr (p, ':');
  if (colon && strchr (colon + 1, ':') == NULL && strchr (p, '.') && colon > p)
    *colon = '\0';
  int family;
  guint8 addr[16];
  char buf[INET6_ADDRSTRLEN];
  char *out = NULL;
  if (parse_ip (p, &family, addr) && inet_ntop (family, addr, buf, sizeof buf))
    out = g_strdup (buf);
  g_free (w);
  return out;
}

static gboolean
is_ip (const char *s)
{
  char *ip = ip_of (s);
  g_free (ip);
  return ip != NULL;
}

/* @s, an address (is_ip), as a HELO address literal: as written when it is
 * made only of what an address literal holds ("[192.0.2.1]",
 * "[IPv6:2001:db8::1]", "192.0.2.1:25"), else the canonical address alone:
 * ip_of() reads past a ":port" or "]" and would let anything after it
 * (control characters, markup) into the hop. */
static char *
literal_of (const char *s)
{
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != ':' && *p != '[' && *p != ']')
      return ip_of (s);
  return g_strdup (s);
}

/* @s as a host name: lower-case, no trailing dot; NULL when it is not one. */
static char *
name_of (const char *s)
{
  if (s == NULL)
    return NULL;
  char *n = g_ascii_strdown (s, -1);
  gsize len = strlen (n);
  while (len > 0 && n[len - 1] == '.')
    n[--len] = '\0';
  if (!is_hostname (n) || g_ascii_strcasecmp (n, "unknown") == 0) {
    g_free (n);
    return NULL;
  }
  return n;
}

/* Read one comment of the from clause: an IP, the name before it (rDNS),
 * "helo=X" (Exim) or "HELO X" (qmail). Fills what is still empty. */
static void
read_comment (const char *c, char **ip_r, char **rdns_r, char **helo_r, gboolean *exim_r)
{
  char **w = g_strsplit_set (c, " \t\r\n", -1);
  const char *prev = NULL;
  for (guint i = 0; w[i]; i++) {
    const char *x = w[i];
    if (*x == '\0')
      continue;
    if (g_ascii_strncasecmp (x, "helo=", 5) == 0) {
      *exim_r = TRUE;
      if (*helo_r == NULL)
        *helo_r = g_strdup (x + 5);
      prev = NULL;
      continue;
    }
    if (g_ascii_strcasecmp (x, "HELO") == 0 || g_ascii_strcasecmp (x, "EHLO") == 0) {
      if (w[i + 1] && *helo_r == NULL)
        *helo_r = g_strdup (w[i + 1]);
      *exim_r = TRUE;  /* qmail: the word before the comment is the rDNS name */
      if (w[i + 1])
        i++;
      prev = NULL;
      continue;
    }
    char *ip = *ip_r == NULL ? ip_of (x) : NULL;
    if (ip) {
      *ip_r = ip;
      if (prev && *rdns_r == NULL && !is_ip (prev))
        *rdns_r = name_of (prev);
      prev = NULL;
      continue;
    }
    prev = x;
  }
  g_strfreev (w);
}

static char *
cut (char *s)
{
  if (s && strlen (s) > MAX_NAME)
    s[MAX_NAME] = '\0';
  return s;
}

void
usc_received_hop_clear (UscReceivedHop *hop)
{
  if (hop == NULL)
    return;
  g_clear_pointer (&hop->helo, g_free);
  g_clear_pointer (&hop->rdns, g_free);
  g_clear_pointer (&hop->ip, g_free);
  g_clear_pointer (&hop->by, g_free);
}

gboolean
usc_received_parse (const char *value, UscReceivedHop *hop)
{
  memset (hop, 0, sizeof *hop);
  if (value == NULL)
    return FALSE;
  char *v = g_strndup (value, MAX_VALUE);
  for (char *p = v; *p; p++)
    if (*p == '\r' || *p == '\n' || *p == '\t')
      *p = ' ';
  GArray *t = tokenize (v);
  g_free (v);

  guint i = 0;
  /* The from clause comes first (RFC 5321); a few servers put a comment
   * in front of it. */
  while (i < t->len && g_array_index (t, Token, i).comment)
    i++;
  if (i >= t->len || g_ascii_strcasecmp (g_array_index (t, Token, i).text, "from") != 0) {
    g_array_unref (t);
    return FALSE;
  }
  i++;
  char *first = NULL, *ip = NULL, *rdns = NULL, *helo = NULL;
  gboolean exim = FALSE;
  for (; i < t->len; i++) {
    Token *tk = &g_array_index (t, Token, i);
    if (tk->comment) {
      read_comment (tk->text, &ip, &rdns, &helo, &exim);
      continue;
    }
    if (is_clause_keyword (tk->text))
      break;
    if (first == NULL)
      first = g_strdup (tk->text);
  }
  for (; i < t->len; i++) {
    Token *tk = &g_array_index (t, Token, i);
    if (!tk->comment && g_ascii_strcasecmp (tk->text, "by") == 0 && i + 1 < t->len
        && !g_array_index (t, Token, i + 1).comment) {
      hop->by = cut (name_of (g_array_index (t, Token, i + 1).text));
      break;
    }
  }
  g_array_unref (t);

  /* The first word: Exim and qmail write the rDNS name (or an IP literal)
   * there and the HELO in the comment; the others write the HELO. */
  gboolean first_is_ip = is_ip (first);
  if (first_is_ip && ip == NULL)
    ip = ip_of (first);
  if (exim) {
    if (rdns == NULL && !first_is_ip)
      rdns = name_of (first);
    char *h = helo;
    helo = h ? (is_ip (h) ? literal_of (h) : name_of (h)) : NULL;
    g_free (h);
    if (helo == NULL && first)
      helo = first_is_ip ? literal_of (first) : name_of (first);
  } else {
    g_free (helo);
    helo = first_is_ip ? literal_of (first) : name_of (first);
  }
  g_free (first);
  hop->helo = cut (helo);
  hop->rdns = cut (rdns);
  hop->ip = ip;
  return TRUE;
}

const char *
usc_received_hop_host (const UscReceivedHop *hop)
{
  if (hop->rdns)
    return hop->rdns;
  if (hop->helo && !is_ip (hop->helo))
    return hop->helo;
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* The chain                                                                 */

gboolean
usc_received_first_external (const char *const *values, const UscInternal *internal,
                             UscReceivedHop *hop_r)
{
  memset (hop_r, 0, sizeof *hop_r);
  for (guint i = 0; values && values[i] && i < MAX_FIELDS; i++) {
    UscReceivedHop hop;
    if (!usc_received_parse (values[i], &hop))
      continue;
    const char *host = usc_received_hop_host (&hop);
    gboolean dotted = host && strchr (host, '.');
    if ((hop.ip == NULL && !dotted)
        || (hop.ip && usc_internal_ip (internal, hop.ip))
        || usc_internal_host (internal, host)) {
      usc_received_hop_clear (&hop);
      continue;
    }
    *hop_r = hop;
    return TRUE;
  }
  return FALSE;
}

gboolean
usc_received_first_external_of (GMimeMessage *msg, const UscInternal *internal,
                                UscReceivedHop *hop_r)
{
  memset (hop_r, 0, sizeof *hop_r);
  GMimeHeaderList *list = msg ? g_mime_object_get_header_list (GMIME_OBJECT (msg)) : NULL;
  int n = list ? g_mime_header_list_get_count (list) : 0;
  GPtrArray *values = g_ptr_array_new ();
  for (int i = 0; i < n && values->len < MAX_FIELDS; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at (list, i);
    if (g_ascii_strcasecmp (g_mime_header_get_name (h), "Received") == 0) {
      const char *v = usc_header_value (h);
      if (v)
        g_ptr_array_add (values, (gpointer) v);
    }
  }
  g_ptr_array_add (values, NULL);
  gboolean found = usc_received_first_external ((const char *const *) values->pdata, internal, hop_r);
  g_ptr_array_free (values, TRUE);
  return found;
}
