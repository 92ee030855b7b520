/* usc-message.c — read a message from a file, fd or pipe; enforce limits;
 * parse it with GMime (RFC 5322 message format, RFC 2045-2049 MIME, RFC 2046
 * multipart boundaries, RFC 4155 mbox "From " lines).
 *
 * GMime's fd stream seeks, so it cannot read pipes: we read the whole input
 * into memory ourselves (bounded by max_bytes), keep those raw bytes for
 * filter/deliver, and parse an LF-normalised copy from memory.
 *
 * Hostile input. GMime 3 itself stops nesting at 1024 levels, but it checks
 * every "--" line against the whole boundary stack (1,000 nested multiparts
 * and a few MB of "--x" lines take seconds) and it builds an object for every
 * part and header field it sees (a 5 MB multipart of empty parts costs over
 * 1 GB). So before GMime sees the text, a cheap pre-scan walks the MIME
 * structure the way GMime 3's parser does (header blocks end only at a blank
 * line, the LAST Content-Type wins, boundaries are matched innermost first,
 * message/rfc822|rfc2822|global|news is descended into unless its
 * Content-Transfer-Encoding is base64/QP/uuencode, multipart/digest children
 * default to message/rfc822) and, in the copy handed to GMime only:
 *   - a container (multipart or message) nested max_depth deep has its
 *     Content-Type value overwritten in place with "x/x" (same length), so
 *     GMime takes it as an opaque leaf; where that cannot be done, the copy is
 *     cut just before it;
 *   - the copy is cut before the part or header field that would exceed
 *     max_parts parts, or max_headers / max_header_bytes of header fields
 *     below the top level;
 *   - fields GMime parses eagerly (parameters, address lists) are bounded:
 *     see STRUCTURED_FIELD_MAX below.
 * Where the pre-scan could disagree with GMime it errs towards counting more
 * nesting, never less. msg->text itself is never modified: the first change
 * makes a private copy (copy on write), so real mail is parsed in place.
 *
 * Memory: LF input is parsed where it lies, in the raw bytes read (GMime's
 * stream is a view of them, its parts substreams of it): one copy of the
 * message in memory. So is CRLF input read by usc_message_new_in_place()
 * (filter, deliver, unscatter-sieve) or usc_message_read_fd() (check): when
 * every line ends in CRLF, the CRs are taken out in the same buffer, which
 * is parsed as LF input, and put back (usc_message_raw_bytes) before the
 * bytes are written out. Other CR line endings (CR-only, a mix) need one
 * normalised copy more.
 */
#include "config.h"
#include "usc-message.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
usc_limits_init (UscLimits *limits)
{
  limits->max_bytes = 64 * 1024 * 1024;
  limits->max_header_bytes = 4 * 1024 * 1024;
  limits->max_headers = 20000;
  limits->max_depth = 40;
  limits->max_parts = 5000;
  limits->max_seconds = 10.0;
}

/* ---------------------------------------------------------------- reading */

GBytes *
usc_read_all (int fd, gsize max_bytes, GError **error)
{
  struct stat st;
  gsize cap = 64 * 1024;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0) {
    if (max_bytes && (guint64) st.st_size > max_bytes) {
      g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                   "message of %" G_GUINT64_FORMAT " bytes exceeds the size limit of %" G_GSIZE_FORMAT " bytes",
                   (guint64) st.st_size, max_bytes);
      return NULL;
    }
    cap = (gsize) st.st_size + 1; /* +1: see EOF without a regrow */
  }
  /* g_try_*: running out of memory is an error for the caller to handle
   * (filter and deliver must then defer), never an abort. */
  char *buf = g_try_malloc (cap);
  if (buf == NULL)
    goto nomem;
  gsize len = 0;
  for (;;) {
    if (len == cap) {
      if (max_bytes && len > max_bytes) {
        g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                     "message exceeds the size limit of %" G_GSIZE_FORMAT " bytes", max_bytes);
        g_free (buf);
        return NULL;
      }
      cap = cap < G_MAXSIZE / 2 ? cap * 2 : G_MAXSIZE;
      if (max_bytes && cap > max_bytes + 1)
        cap = max_bytes + 1; /* one byte over is enough to know */
      char *nb = g_try_realloc (buf, cap);
      if (nb == NULL) {
        g_free (buf);
        goto nomem;
      }
      buf = nb;
    }
    ssize_t n = read (fd, buf + len, MIN (cap - len, (gsize) 1 << 20));
    if (n < 0) {
      int e = errno;
      if (e == EINTR)
        continue;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "read: %s", g_strerror (e));
      g_free (buf);
      return NULL;
    }
    if (n == 0)
      break;
    len += (gsize) n;
  }
  if (max_bytes && len > max_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "message of %" G_GSIZE_FORMAT " bytes exceeds the size limit of %" G_GSIZE_FORMAT " bytes",
                 len, max_bytes);
    g_free (buf);
    return NULL;
  }
  if (cap - len > 4096) {
    char *nb = g_try_realloc (buf, len ? len : 1);
    if (nb != NULL)
      buf = nb;
  }
  return g_bytes_new_take (buf, len);

nomem:
  g_set_error (error, USC_ERROR, USC_ERROR_IO, "read: %s", g_strerror (ENOMEM));
  return NULL;
}

/* -------------------------------------------------------- line endings */

/* Copy @raw to LF line endings (CRLF and lone CR become LF), NUL-terminated. */
static char *
normalize_eol (const char *raw, gsize len, gsize *len_r)
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
 * without a byte changing (crlf_to_lf, lf_to_crlf). */
static gboolean
all_crlf (const char *s, gsize len)
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

/* Drop the CR of every CRLF of @s (all_crlf) in place; returns the new length. */
static gsize
crlf_to_lf (char *s, gsize len)
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

/* The inverse of crlf_to_lf: @s holds @len bytes of LF text in a buffer of
 * @total bytes, total - len being its number of LFs; each LF becomes CRLF
 * again, in place, working from the end. */
static void
lf_to_crlf (char *s, gsize len, gsize total)
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
static gsize
raw_line_end (const char *s, gsize i, gsize len, gsize *eol_len_r)
{
  while (i < len && s[i] != '\n' && s[i] != '\r')
    i++;
  if (i >= len)
    *eol_len_r = 0;
  else if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
    *eol_len_r = 2;
  else
    *eol_len_r = 1;
  return i;
}

/* The top header block of raw @s: returns the offset just after its last
 * line (where the blank line starts, or @len when there is none); counts the
 * fields (lines not starting with white space) and finds the first line
 * ending. */
static gsize
raw_header_end (const char *s, gsize len, guint *n_fields_r, const char **eol_r)
{
  guint n = 0;
  gsize i = 0;
  const char *eol = NULL;
  while (i < len) {
    gsize el;
    gsize e = raw_line_end (s, i, len, &el);
    if (eol == NULL && el)
      eol = el == 2 ? "\r\n" : s[e] == '\r' ? "\r" : "\n";
    if (e == i && el)
      break; /* the blank line */
    if (s[i] != ' ' && s[i] != '\t')
      n++;
    i = e + el;
  }
  if (eol == NULL) {
    /* headers only, on one line or none: take the body's line ending, if any */
    gsize el;
    gsize e = raw_line_end (s, i, len, &el);
    eol = el == 2 ? "\r\n" : el && s[e] == '\r' ? "\r" : "\n";
  }
  *n_fields_r = n;
  *eol_r = eol;
  return i;
}

/* ---------------------------------------------------------- the pre-scan */

typedef struct {
  char    *bnd;    /* "--BOUNDARY--" */
  gsize    len;    /* length of "--BOUNDARY" */
  guint    depth;  /* depth of the multipart entity itself */
  gboolean digest;
} Frame;

typedef struct {
  gsize start;  /* start of the field's line */
  gsize vstart; /* just after the ':' */
  gsize end;    /* end of its last line (before the LF) */
} Field;

typedef struct {
  char            *s;       /* the text; once something must change, a private copy (own) */
  gsize            n;
  const UscLimits *lim;
  GArray          *frames;  /* Frame */
  GArray          *cts;     /* Field: Content-Type fields of the current header block */
  guint            parts;
  guint            fields;  /* header fields below the top level */
  gsize            hbytes;  /* their bytes */
  gsize            structured; /* bytes of parameter / address fields GMime parses */
  gsize            cut;     /* length GMime gets */
  gboolean         limited;
  gboolean         count_top; /* count the top-level header block too (a re-parse) */
  gboolean         own;     /* s is our copy (made on the first change), else the caller's text */
} Scan;

/* Copy on write: the caller's text is never changed; the first change makes
 * a private copy (hostile input only: real mail needs none), which GMime
 * then parses instead. */
static void
make_writable (Scan *sc)
{
  if (sc->own)
    return;
  char *c = g_malloc (sc->n + 1);
  memcpy (c, sc->s, sc->n);
  c[sc->n] = '\0';
  sc->s = c;
  sc->own = TRUE;
}

static inline gsize
line_end (const Scan *sc, gsize p)
{
  const char *nl = memchr (sc->s + p, '\n', sc->n - p);
  return nl ? (gsize) (nl - sc->s) : sc->n;
}

static inline gsize
next_line (const Scan *sc, gsize p)
{
  gsize e = line_end (sc, p);
  return e < sc->n ? e + 1 : sc->n;
}

static inline gboolean
is_lwsp (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* GMime's is_boundary(): @line starts with @b[0..blen) and only white space follows. */
static gboolean
is_boundary (const char *line, gsize len, const char *b, gsize blen)
{
  if (blen > len || memcmp (line, b, blen) != 0)
    return FALSE;
  for (gsize i = blen; i < len; i++)
    if (!is_lwsp (line[i]))
      return FALSE;
  return TRUE;
}

/* Index of the frame whose boundary the line [@p, @e) is (innermost first,
 * the closing form checked first, as GMime does), or -1. */
static int
match_boundary (const Scan *sc, gsize p, gsize e, gboolean *final_r)
{
  gsize len = e - p;
  const char *line = sc->s + p;
  if (len < 2 || line[0] != '-' || line[1] != '-' || sc->frames->len == 0)
    return -1;
  gsize trimmed = len;
  while (trimmed > 2 && is_lwsp (line[trimmed - 1]))
    trimmed--;
  for (int i = (int) sc->frames->len - 1; i >= 0; i--) {
    const Frame *f = &g_array_index (sc->frames, Frame, i);
    /* is_boundary() needs trimmed <= blen <= len: cheap to test first */
    if (trimmed <= f->len + 2 && f->len + 2 <= len && is_boundary (line, len, f->bnd, f->len + 2)) {
      *final_r = TRUE;
      return i;
    }
    if (trimmed <= f->len && f->len <= len && is_boundary (line, len, f->bnd, f->len)) {
      *final_r = FALSE;
      return i;
    }
  }
  return -1;
}

static void
pop_frames (Scan *sc, guint keep)
{
  while (sc->frames->len > keep) {
    Frame *f = &g_array_index (sc->frames, Frame, sc->frames->len - 1);
    g_free (f->bnd);
    g_array_set_size (sc->frames, sc->frames->len - 1);
  }
}

/* GMime's header-name rule: characters up to ':' with no control characters,
 * blanks only between the name and the colon, and a non-empty name.
 * Sets *name_len_r (trailing blanks excluded) and *colon_r. */
static gboolean
field_name_ok (const char *line, gsize len, gsize *name_len_r, gsize *colon_r)
{
  gboolean blank = FALSE;
  gsize name_len = 0;
  for (gsize i = 0; i < len; i++) {
    unsigned char c = (unsigned char) line[i];
    if (c == ':') {
      if (i == 0)
        return FALSE;
      *name_len_r = name_len;
      *colon_r = i;
      return TRUE;
    }
    if (c == ' ' || c == '\t')
      blank = TRUE;
    else if (blank || c < 32 || c == 127)
      return FALSE;
    else
      name_len = i + 1;
  }
  return FALSE;
}

static void
set_cut (Scan *sc, gsize at)
{
  if (at < sc->cut)
    sc->cut = at;
  sc->limited = TRUE;
}

/* Overwrite the value of every Content-Type field of the block so that GMime
 * sees the LAST one as "x/x" (a leaf). FALSE when there is no room. */
static gboolean
neutralize_cts (Scan *sc)
{
  make_writable (sc);
  gboolean last_placed = FALSE;
  for (guint k = 0; k < sc->cts->len; k++) {
    const Field *f = &g_array_index (sc->cts, Field, k);
    gboolean placed = FALSE;
    gsize seg = f->vstart;
    while (seg <= f->end) {
      const char *nl = memchr (sc->s + seg, '\n', f->end - seg);
      gsize seg_end = nl ? (gsize) (nl - sc->s) : f->end;
      if (!placed && seg_end - seg >= 4) {
        memcpy (sc->s + seg, " x/x", 4);
        memset (sc->s + seg + 4, ' ', seg_end - seg - 4);
        placed = TRUE;
      } else {
        memset (sc->s + seg, ' ', seg_end - seg);
      }
      if (nl == NULL)
        break;
      seg = seg_end + 2; /* keep the LF and the continuation line's leading blank */
    }
    last_placed = placed;
  }
  return last_placed;
}

static gboolean
is_rfc822_subtype (const char *subtype)
{
  static const char *const subtypes[] = { "rfc822", "rfc2822", "global", "news" };
  for (guint i = 0; i < G_N_ELEMENTS (subtypes); i++)
    if (g_ascii_strcasecmp (subtype, subtypes[i]) == 0)
      return TRUE;
  return FALSE;
}

/* GMime parses parameters (Content-Type, Content-Disposition) and address
 * lists eagerly, at ~0.5 KB and a few microseconds each: a 4 MB header block
 * of "; a=b" would cost seconds and hundreds of MB. Real mail has a handful of
 * parameters and at most a few thousand addresses, so in the copy for GMime a
 * parameter field is cut at STRUCTURED_FIELD_MAX bytes (a Content-Type keeps
 * its type and boundary), an address field at ADDRESS_FIELD_MAX, and past
 * STRUCTURED_TOTAL_MAX bytes for the whole message such fields are emptied
 * (a Content-Type keeps its type and boundary). */
#define STRUCTURED_FIELD_MAX (16 * 1024)
#define ADDRESS_FIELD_MAX    (64 * 1024)
#define STRUCTURED_TOTAL_MAX (1024 * 1024)

#define FIELD(s) { s, sizeof (s) - 1 }
static const struct {
  const char *name;
  gsize len;
} address_fields[] = {
  FIELD ("From"), FIELD ("To"), FIELD ("Cc"), FIELD ("Bcc"), FIELD ("Reply-To"), FIELD ("Sender"),
  FIELD ("Resent-From"), FIELD ("Resent-To"), FIELD ("Resent-Cc"), FIELD ("Resent-Bcc"), FIELD ("Resent-Reply-To"),
  FIELD ("Resent-Sender"),
};
#undef FIELD

typedef enum { SF_NONE, SF_CT, SF_PARAMS, SF_ADDRESS } StructKind;

static StructKind
structured_kind (const char *name, gsize len)
{
  if (len == 12 && g_ascii_strncasecmp (name, "Content-Type", 12) == 0)
    return SF_CT;
  if (len == 19 && g_ascii_strncasecmp (name, "Content-Disposition", 19) == 0)
    return SF_PARAMS;
  for (guint i = 0; i < G_N_ELEMENTS (address_fields); i++)
    if (address_fields[i].len == len && g_ascii_strncasecmp (name, address_fields[i].name, len) == 0)
      return SF_ADDRESS;
  return SF_NONE;
}

/* Does the text @v (@len bytes, or up to a NUL) hold @word (lower case),
 * ASCII case ignored? */
static gboolean
holds_word_ci (const char *v, gsize len, const char *word)
{
  gsize wl = strlen (word);
  for (gsize i = 0; i + wl <= len && v[i]; i++) {
    gsize j = 0;
    while (j < wl && v[i + j] && g_ascii_tolower (v[i + j]) == word[j])
      j++;
    if (j == wl)
      return TRUE;
  }
  return FALSE;
}

/* Can GMime make a container (multipart, message) of the Content-Type value
 * @v (@len bytes)? Its media type is a token of the value itself, so not
 * unless the value holds "multipart" or "message": for such a value (nearly
 * every text or attachment part) the pre-scan spares itself GMime's parse
 * of it. Only in a digest does a failed parse matter (a message then). */
static gboolean
ct_may_contain (const char *v, gsize len)
{
  return holds_word_ci (v, len, "multipart") || holds_word_ci (v, len, "message");
}

/* A token of a Content-Type value as GMime reads it: printable ASCII but
 * white space and the tspecials. */
static inline gboolean
ct_token_char (char c)
{
  return c > 0x20 && c < 0x7f && strchr ("()<>@,;:\\\"/[]?=", c) == NULL;
}

static inline gsize
ct_skip_ws (const char *v, gsize i, gsize len)
{
  while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r'))
    i++;
  return i;
}

/* What the pre-scan needs of a Content-Type value @v (@len bytes), read
 * without GMime when the value is plain: "type/subtype" tokens, then
 * "; name=value" parameters (a token, or a quoted string without '\\'),
 * printable ASCII and white space (folds) only, no comment, no "=?", no RFC
 * 2231 name ('*'), "boundary" at most once. Then GMime's parse of it gives
 * these very tokens and that boundary (quotes removed): the spans are set
 * (boundary: len 0 when there is none) and TRUE returned. FALSE for anything
 * else: GMime must read the value. usc_ct_read_plain() is its test hook. */
static gboolean
ct_plain (const char *v, gsize len, gsize *type_r, gsize *type_len_r, gsize *sub_r, gsize *sub_len_r,
          gsize *bnd_r, gsize *bnd_len_r)
{
  for (gsize k = 0; k < len; k++)
    if (!((v[k] >= 0x20 && v[k] < 0x7f) || v[k] == '\t' || v[k] == '\n' || v[k] == '\r') ||
        (v[k] == '=' && k + 1 < len && v[k + 1] == '?') || v[k] == '(' || v[k] == '\\' || v[k] == '*')
      return FALSE;
  gsize i = ct_skip_ws (v, 0, len), j = i;
  while (j < len && ct_token_char (v[j]))
    j++;
  if (j == i || j >= len || v[j] != '/')
    return FALSE;
  *type_r = i;
  *type_len_r = j - i;
  i = j + 1;
  j = i;
  while (j < len && ct_token_char (v[j]))
    j++;
  if (j == i)
    return FALSE;
  *sub_r = i;
  *sub_len_r = j - i;
  *bnd_r = 0;
  *bnd_len_r = 0;
  gboolean have_bnd = FALSE;
  i = ct_skip_ws (v, j, len);
  while (i < len) {
    if (v[i] != ';')
      return FALSE;
    i = ct_skip_ws (v, i + 1, len);
    if (i == len)
      break; /* a trailing ';' */
    gsize n = i;
    while (n < len && ct_token_char (v[n]))
      n++;
    if (n == i)
      return FALSE;
    gboolean is_bnd = n - i == 8 && g_ascii_strncasecmp (v + i, "boundary", 8) == 0;
    i = ct_skip_ws (v, n, len);
    if (i == len || v[i] != '=')
      return FALSE;
    i = ct_skip_ws (v, i + 1, len);
    gsize vs, ve;
    if (i < len && v[i] == '"') {
      vs = i + 1;
      ve = vs;
      while (ve < len && v[ve] != '"' && v[ve] != '\n' && v[ve] != '\r')
        ve++;
      if (ve == len || v[ve] != '"')
        return FALSE;
      i = ve + 1;
    } else {
      vs = i;
      ve = vs;
      while (ve < len && ct_token_char (v[ve]))
        ve++;
      if (ve == vs)
        return FALSE;
      i = ve;
    }
    if (is_bnd) {
      if (have_bnd || ve == vs)
        return FALSE;
      have_bnd = TRUE;
      *bnd_r = vs;
      *bnd_len_r = ve - vs;
    }
    i = ct_skip_ws (v, i, len);
  }
  return TRUE;
}

gboolean
usc_ct_read_plain (const char *v, char **type_r, char **subtype_r, char **boundary_r)
{
  gsize t, tl, st, sl, b, bl;
  if (!ct_plain (v, strlen (v), &t, &tl, &st, &sl, &b, &bl))
    return FALSE;
  *type_r = g_strndup (v + t, tl);
  *subtype_r = g_strndup (v + st, sl);
  *boundary_r = bl ? g_strndup (v + b, bl) : NULL;
  return TRUE;
}

/* Blank (spaces) the value bytes of @f from offset @from on, keeping its line
 * structure (LFs and the leading blank of continuation lines). */
static void
blank_value (Scan *sc, const Field *f, gsize from)
{
  if (MAX (from, f->vstart) < f->end)
    make_writable (sc);
  for (gsize i = MAX (from, f->vstart); i < f->end; i++)
    if (sc->s[i] != '\n' && !(i > 0 && sc->s[i - 1] == '\n'))
      sc->s[i] = ' ';
}

/* Rewrite a Content-Type value in place as " type/subtype; boundary=..."
 * (what the structure needs), blanking the rest. FALSE when that does not
 * fit on the field's first line. */
static gboolean
minimize_ct (Scan *sc, const Field *f)
{
  const char *v = sc->s + f->vstart;
  gsize vlen = f->end - f->vstart;
  const char *nl = memchr (v, '\n', vlen);
  gsize first = nl ? (gsize) (nl - v) : vlen;
  gsize i = 0;
  while (i < vlen && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n'))
    i++;
  gsize m = i;
  while (m < vlen && m - i < 256 && v[m] != ';' && v[m] != ' ' && v[m] != '\t' && v[m] != '\n' && v[m] != '(')
    m++;
  GString *nv = g_string_new (" ");
  g_string_append_len (nv, v + i, m - i);
  /* the first "boundary=" parameter, quoted or not */
  for (gsize k = m; k + 9 <= vlen; k++) {
    if (g_ascii_strncasecmp (v + k, "boundary", 8) != 0 || (k > 0 && g_ascii_isalnum (v[k - 1])))
      continue;
    gsize q = k + 8;
    while (q < vlen && (v[q] == ' ' || v[q] == '\t'))
      q++;
    if (q >= vlen || v[q] != '=')
      continue;
    q++;
    while (q < vlen && (v[q] == ' ' || v[q] == '\t'))
      q++;
    gsize e = q;
    if (e < vlen && v[e] == '"') {
      e++;
      while (e < vlen && v[e] != '"' && v[e] != '\n' && e - q < 256)
        e++;
      if (e < vlen && v[e] == '"')
        e++;
    } else {
      while (e < vlen && v[e] != ';' && v[e] != ' ' && v[e] != '\t' && v[e] != '\n' && e - q < 256)
        e++;
    }
    g_string_append (nv, "; boundary=");
    g_string_append_len (nv, v + q, e - q);
    break;
  }
  gboolean fits = nv->len <= first;
  if (fits) {
    make_writable (sc);
    blank_value (sc, f, f->vstart);
    memcpy (sc->s + f->vstart, nv->str, nv->len);
  }
  g_string_free (nv, TRUE);
  return fits;
}

/* Apply the caps above to a finished field of kind @k. */
static void
bound_structured (Scan *sc, const Field *f, StructKind k)
{
  gsize vlen = f->end - f->vstart;
  gsize cap = k == SF_ADDRESS ? ADDRESS_FIELD_MAX : STRUCTURED_FIELD_MAX;
  if (sc->structured + MIN (vlen, cap) > STRUCTURED_TOTAL_MAX)
    cap = 0;
  if (vlen > cap) {
    sc->limited = TRUE;
    if (k != SF_CT)
      blank_value (sc, f, f->vstart + cap);
    else if (!minimize_ct (sc, f))
      blank_value (sc, f, f->vstart + MAX (cap, (gsize) 1024));
  }
  sc->structured += MIN (vlen, cap);
}

typedef enum { ENT_LEAF, ENT_MULTIPART, ENT_MESSAGE, ENT_STOP } EntKind;

/* Scan the header block at *@p_io of an entity at @depth; leave *@p_io at its
 * body. Returns what GMime will make of the entity (after neutralising a
 * container that is too deep), or ENT_STOP when the copy was cut. A multipart
 * gets its frame pushed. */
static EntKind
scan_entity (Scan *sc, gsize *p_io, guint depth, gboolean parent_digest, gboolean toplevel)
{
  gsize p = *p_io;
  const gsize entity_start = p;
  gboolean in_field = FALSE, in_ct = FALSE, have_cte = FALSE;
  gsize cte_vstart = 0, cte_end = 0;
  Field sf = { 0, 0, 0 };        /* the current parameter / address field */
  StructKind sk = SF_NONE;
  g_array_set_size (sc->cts, 0);

  while (p < sc->n) {
    gsize e = line_end (sc, p);
    gsize len = e - p;
    if (len == 0) {
      p = e + 1;
      break;
    }
    const char *line = sc->s + p;
    if (line[0] == ' ' || line[0] == '\t') {
      if (in_field) {
        if (in_ct)
          g_array_index (sc->cts, Field, sc->cts->len - 1).end = e;
        else if (have_cte && cte_end == p - 1)
          cte_end = e;
        if (sk != SF_NONE)
          sf.end = e;
      }
    } else {
      gsize name_len, colon;
      if (sk != SF_NONE && sk != SF_CT)
        bound_structured (sc, &sf, sk);
      sk = SF_NONE;
      in_field = field_name_ok (line, len, &name_len, &colon);
      in_ct = FALSE;
      if (in_field) {
        sk = structured_kind (line, name_len);
        sf.start = p;
        sf.vstart = p + colon + 1;
        sf.end = e;
        if (!toplevel || sc->count_top) {
          sc->fields++;
          if (sc->fields > sc->lim->max_headers) {
            set_cut (sc, p);
            return ENT_STOP;
          }
        }
        if (name_len == 12 && g_ascii_strncasecmp (line, "Content-Type", 12) == 0) {
          Field f = { p, p + colon + 1, e };
          g_array_append_val (sc->cts, f);
          in_ct = TRUE;
        } else if (!have_cte && name_len == 25
                   && g_ascii_strncasecmp (line, "Content-Transfer-Encoding", 25) == 0) {
          have_cte = TRUE;
          cte_vstart = p + colon + 1;
          cte_end = e;
        }
      }
    }
    if ((!toplevel || sc->count_top) && in_field) {
      sc->hbytes += len + 1;
      if (sc->hbytes > sc->lim->max_header_bytes) {
        set_cut (sc, p);
        return ENT_STOP;
      }
    }
    p = e < sc->n ? e + 1 : sc->n;
  }
  *p_io = p;
  if (sk != SF_NONE && sk != SF_CT)
    bound_structured (sc, &sf, sk);
  /* GMime takes the last Content-Type: the others need not be parsed at all */
  if (sc->cts->len > 1) {
    for (guint k = 0; k + 1 < sc->cts->len; k++)
      blank_value (sc, &g_array_index (sc->cts, Field, k), 0);
  }
  if (sc->cts->len > 0)
    bound_structured (sc, &g_array_index (sc->cts, Field, sc->cts->len - 1), SF_CT);

  /* What is it? (GMime: the last Content-Type; digest children default to message/rfc822.) */
  EntKind kind = ENT_LEAF;
  char *boundary = NULL;
  gboolean digest = FALSE;
  gsize ct_t, ct_tl, ct_s, ct_sl, ct_b, ct_bl;
  const Field *last_ct = sc->cts->len > 0 ? &g_array_index (sc->cts, Field, sc->cts->len - 1) : NULL;
  if (last_ct == NULL) {
    if (parent_digest)
      kind = ENT_MESSAGE;
  } else if (!parent_digest && !ct_may_contain (sc->s + last_ct->vstart, last_ct->end - last_ct->vstart)) {
    kind = ENT_LEAF;
  } else if (!parent_digest && ct_plain (sc->s + last_ct->vstart, last_ct->end - last_ct->vstart, &ct_t, &ct_tl,
                                         &ct_s, &ct_sl, &ct_b, &ct_bl)) {
    /* what GMime's parse would say, read without it (outside a digest,
     * where a failed parse does not matter) */
    const char *v = sc->s + last_ct->vstart;
    if (ct_tl == 9 && g_ascii_strncasecmp (v + ct_t, "multipart", 9) == 0) {
      if (ct_bl > 0) {
        kind = ENT_MULTIPART;
        boundary = g_strndup (v + ct_b, ct_bl);
        digest = ct_sl == 6 && g_ascii_strncasecmp (v + ct_s, "digest", 6) == 0;
      }
    } else if (ct_tl == 7 && g_ascii_strncasecmp (v + ct_t, "message", 7) == 0) {
      char *sub = g_strndup (v + ct_s, ct_sl);
      if (is_rfc822_subtype (sub))
        kind = ENT_MESSAGE;
      g_free (sub);
    }
  } else {
    const Field *f = last_ct;
    char *value = g_strndup (sc->s + f->vstart, f->end - f->vstart);
    GMimeContentType *ct = g_mime_content_type_parse (NULL, value);
    const char *type = g_mime_content_type_get_media_type (ct);
    const char *subtype = g_mime_content_type_get_media_subtype (ct);
    gboolean failed = g_ascii_strcasecmp (type, "application") == 0
                      && g_ascii_strcasecmp (subtype, "octet-stream") == 0
                      && strstr (value, "ctet") == NULL;
    if (g_ascii_strcasecmp (type, "multipart") == 0) {
      const char *b = g_mime_content_type_get_parameter (ct, "boundary");
      if (b != NULL) {
        kind = ENT_MULTIPART;
        boundary = g_strdup (b);
        digest = g_ascii_strcasecmp (subtype, "digest") == 0;
      }
    } else if ((g_ascii_strcasecmp (type, "message") == 0 && is_rfc822_subtype (subtype))
               || (failed && parent_digest)) {
      kind = ENT_MESSAGE;
    }
    g_object_unref (ct);
    g_free (value);
  }
  if (kind == ENT_MESSAGE && have_cte) {
    char *v = g_strndup (sc->s + cte_vstart, cte_end - cte_vstart);
    switch (g_mime_content_encoding_from_string (v)) {
    case GMIME_CONTENT_ENCODING_BASE64:
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
    case GMIME_CONTENT_ENCODING_UUENCODE:
      kind = ENT_LEAF;
      break;
    default:
      break;
    }
    g_free (v);
  }

  if (kind != ENT_LEAF && depth >= sc->lim->max_depth) {
    sc->limited = TRUE;
    if (sc->cts->len > 0 && neutralize_cts (sc)) {
      kind = ENT_LEAF;
    } else if (sc->cts->len > 0 && !parent_digest) {
      make_writable (sc);
      for (guint k = 0; k < sc->cts->len; k++)
        sc->s[g_array_index (sc->cts, Field, k).start] = 'X'; /* "Xontent-Type": no type, text/plain */
      kind = ENT_LEAF;
    } else {
      set_cut (sc, entity_start);
      kind = ENT_STOP;
    }
  }
  if (kind == ENT_MULTIPART) {
    Frame fr = { g_strdup_printf ("--%s--", boundary), strlen (boundary) + 2, depth, digest };
    g_array_append_val (sc->frames, fr);
  }
  g_free (boundary);
  return kind;
}

/* What one pre-scan counted (charged to the message's budget). */
typedef struct {
  guint    fields;
  gsize    hbytes;
  guint    parts;
  gboolean limited;
} ScanStats;

/* Walk the structure of @s (LF line endings) and make it safe for GMime as
 * described at the top of this file. With @count_top the top-level header
 * block counts against max_headers / max_header_bytes too. Returns the length
 * GMime should parse. */
static gsize
prescan (const char *s, gsize n, const UscLimits *lim, gboolean count_top, ScanStats *stats_r,
         char **copy_r)
{
  Scan sc = { (char *) s, n, lim, g_array_new (FALSE, FALSE, sizeof (Frame)),
              g_array_new (FALSE, FALSE, sizeof (Field)), 0, 0, 0, 0, n, FALSE, count_top, FALSE };
  gsize p = 0;
  guint depth = 0;
  gboolean parent_digest = FALSE, toplevel = TRUE, message_start = FALSE;
  gboolean in_headers = TRUE, final = FALSE;
  int k;

  while (p < n) {
    if (in_headers) {
      if (message_start && (k = match_boundary (&sc, p, line_end (&sc, p), &final)) >= 0) {
        /* an empty message part: GMime looks for a boundary first */
        in_headers = FALSE;
      } else {
        EntKind kind = scan_entity (&sc, &p, depth, parent_digest, toplevel);
        toplevel = FALSE;
        message_start = FALSE;
        if (kind == ENT_STOP)
          break;
        if (kind == ENT_MESSAGE) {
          if (++sc.parts > lim->max_parts) {
            set_cut (&sc, p);
            break;
          }
          depth++;
          parent_digest = FALSE;
          message_start = TRUE;
        } else {
          in_headers = FALSE;
        }
        continue;
      }
    } else {
      /* content: look for the next boundary line */
      k = -1;
      if (sc.frames->len > 0) {
        while (p < n) {
          const char *nl = memchr (sc.s + p, '\n', n - p);
          gsize e = nl ? (gsize) (nl - sc.s) : n;
          if (e - p >= 2 && sc.s[p] == '-' && sc.s[p + 1] == '-'
              && (k = match_boundary (&sc, p, e, &final)) >= 0)
            break;
          p = nl ? e + 1 : n;
        }
      }
      if (k < 0)
        break;
    }
    /* the line at p is a boundary of frame k */
    pop_frames (&sc, (guint) k + 1);
    if (final) {
      pop_frames (&sc, (guint) k);
      p = next_line (&sc, p);
      continue; /* the epilogue: content again */
    }
    if (++sc.parts > lim->max_parts) {
      set_cut (&sc, p);
      break;
    }
    const Frame *f = &g_array_index (sc.frames, Frame, k);
    depth = f->depth + 1;
    parent_digest = f->digest;
    p = next_line (&sc, p);
    in_headers = TRUE;
  }
  pop_frames (&sc, 0);
  g_array_unref (sc.frames);
  g_array_unref (sc.cts);
  stats_r->fields = sc.fields;
  stats_r->hbytes = sc.hbytes;
  stats_r->parts = sc.parts;
  stats_r->limited = sc.limited;
  *copy_r = sc.own ? sc.s : NULL;
  return sc.cut;
}

/* What keeps a parse's text alive for as long as GMime's stream over it. */
typedef struct {
  GByteArray *array;   /* a view of the text (not owning its data) */
  GBytes     *backing; /* owns the data */
} StreamBacking;

static void
stream_backing_free (gpointer p)
{
  StreamBacking *b = p;
  g_byte_array_free (b->array, FALSE);
  g_bytes_unref (b->backing);
  g_free (b);
}

/* A GMime stream over @len bytes at @data, which @backing owns: no copy.
 * The stream keeps a reference to @backing until it (and every substream
 * GMime made of it for part contents) is gone. */
static GMimeStream *
stream_over (const char *data, gsize len, GBytes *backing)
{
  StreamBacking *b = g_new (StreamBacking, 1);
  b->array = g_byte_array_new_take ((guint8 *) data, len);
  b->backing = g_bytes_ref (backing);
  GMimeStream *stream = g_mime_stream_mem_new_with_byte_array (b->array);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE); /* GMime only reads it */
  g_object_set_data_full (G_OBJECT (stream), "usc-backing", b, stream_backing_free);
  return stream;
}

/* The header block of @text (@len bytes, LF line endings) with only its
 * first field and the fields whose name @keep wants, each with its
 * continuation lines, then the rest of @text (the blank line, the body) as
 * is: a new string (its length in *@len_r). GMime reads a field from its
 * own lines alone, so a field kept reads as it did in the whole block; the
 * first one keeps a block that had a field one that has one. NULL when the
 * block is not plainly made of fields GMime splits as we do here: a line
 * that is neither a field ("Name:", the name of letters, digits, '-' and
 * '_') nor a continuation (white space, then something), a continuation
 * first, a NUL byte. Linear in @len. */
static char *
keep_fields (const char *text, gsize len, UscFieldKeep keep, gsize *len_r)
{
  GString *out = g_string_sized_new (MIN (len, 4096) + 1);
  gsize p = 0;
  gboolean first = TRUE, keeping = FALSE;
  while (p < len) {
    const char *nl = memchr (text + p, '\n', len - p);
    gsize e = nl ? (gsize) (nl - text) : len;
    gsize next = nl ? e + 1 : len;
    if (e == p)
      break; /* the blank line */
    if (memchr (text + p, '\0', e - p) != NULL)
      goto whole;
    if (text[p] == ' ' || text[p] == '\t') {
      gsize q = p;
      while (q < e && (text[q] == ' ' || text[q] == '\t'))
        q++;
      if (first || q == e)
        goto whole;
    } else {
      gsize q = p;
      while (q < e && (g_ascii_isalnum (text[q]) || text[q] == '-' || text[q] == '_'))
        q++;
      if (q == p || q == e || text[q] != ':')
        goto whole;
      keeping = first || keep (text + p, q - p);
      first = FALSE;
    }
    if (keeping)
      g_string_append_len (out, text + p, (gssize) (next - p));
    p = next;
  }
  if (first)
    goto whole; /* no field at all */
  g_string_append_len (out, text + p, (gssize) (len - p));
  *len_r = out->len;
  return g_string_free (out, FALSE);
whole:
  g_string_free (out, TRUE);
  return NULL;
}

/* Parse @len bytes of @text (LF line endings) with GMime after the
 * pre-scan. @text lies in @backing, which the parse keeps alive (a
 * reference): GMime reads the text in place, unless the pre-scan had to
 * change something (hostile input: then its private copy is parsed). With
 * @headerless, text whose first line is no header field (GMime refuses it)
 * is parsed as a body after an empty header block. The pre-scan's caps are
 * @lim's, lowered to what is left of @budget, and what it counted is
 * charged to @budget (@embedded: a re-parse, whose own header block counts
 * and which is one part itself). */
static GMimeMessage *
parse_text (const char *text, gsize len, GBytes *backing, const UscLimits *lim, gboolean headerless,
            UscBudget *budget, gboolean embedded, UscFieldKeep keep, gboolean *limited_r)
{
  UscLimits l = *lim;
  l.max_headers = MIN (l.max_headers, budget->fields_left);
  l.max_header_bytes = MIN (l.max_header_bytes, budget->field_bytes_left);
  l.max_parts = MIN (l.max_parts, budget->parts_left);
  GMimeMessage *m = NULL;
  ScanStats st = { 0, 0, 0, FALSE };
  for (int attempt = 0; attempt < (headerless ? 2 : 1) && m == NULL; attempt++) {
    GMimeStream *stream;
    char *copy = NULL;
    if (attempt == 0) {
      gsize cut = prescan (text, len, &l, embedded, &st, &copy);
      gsize klen = 0;
      /* the pre-scan has charged the whole block: only what @keep wants
       * goes to GMime, when nothing had to be cut or changed */
      char *kept = keep && copy == NULL && !st.limited && cut == len ? keep_fields (text, len, keep, &klen) : NULL;
      if (kept) {
        stream = g_mime_stream_mem_new_with_byte_array (g_byte_array_new_take ((guint8 *) kept, klen));
      } else if (copy) {
        GByteArray *ba = g_byte_array_new_take ((guint8 *) copy, len);
        g_byte_array_set_size (ba, cut);
        stream = g_mime_stream_mem_new_with_byte_array (ba); /* owns ba */
      } else {
        stream = stream_over (text, cut, backing);
      }
    } else {
      /* an empty header block in front: a new text */
      char *t = g_malloc (len + 2);
      t[0] = '\n';
      memcpy (t + 1, text, len);
      t[len + 1] = '\0';
      gsize cut = prescan (t, len + 1, &l, embedded, &st, &copy);
      GByteArray *ba;
      if (copy) {
        g_free (t);
        ba = g_byte_array_new_take ((guint8 *) copy, len + 1);
      } else {
        ba = g_byte_array_new_take ((guint8 *) t, len + 1);
      }
      g_byte_array_set_size (ba, cut);
      stream = g_mime_stream_mem_new_with_byte_array (ba); /* owns ba */
    }
    GMimeParser *parser = g_mime_parser_new_with_stream (stream);
    g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
    m = g_mime_parser_construct_message (parser, NULL);
    g_object_unref (parser);
    g_object_unref (stream);
  }
  usc_budget_charge (budget, st.fields, st.hbytes, st.parts + (embedded ? 1 : 0), FALSE);
  *limited_r = st.limited;
  return m;
}

/* ------------------------------------------------------------ messages */

/* The address of an mbox "From " line ("" for MAILER-DAEMON / <>), or NULL. */
static char *
mbox_from_address (const char *line, gsize len)
{
  gsize i = 5;
  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;
  gsize j = i;
  while (j < len && line[j] != ' ' && line[j] != '\t')
    j++;
  if (j == i)
    return NULL;
  char *addr = g_strndup (line + i, j - i);
  if (addr[0] == '<') {
    gsize l = strlen (addr);
    memmove (addr, addr + 1, l);
    if (l > 1 && addr[l - 2] == '>')
      addr[l - 2] = '\0';
  }
  if (g_ascii_strcasecmp (addr, "MAILER-DAEMON") == 0)
    addr[0] = '\0';
  return addr;
}

/* A message that could not be made: for one parsed in place, the buffer is
 * turned back to what was read and left to the caller (usc_message_new_in_place). */
static UscMessage *
message_fail (UscMessage *msg)
{
  if (msg->in_place != NULL) {
    if (msg->text_bytes != NULL)
      lf_to_crlf (msg->in_place, g_bytes_get_size (msg->text_bytes), msg->in_place_len);
    msg->in_place = NULL;
  }
  usc_message_free (&msg);
  return NULL;
}

/* The message read as @raw (a reference is taken) or, when @raw is NULL, as
 * the @own_len bytes at @own, all of whose line endings are CRLF (all_crlf):
 * the message owns that buffer and turns it to LF in place to parse it. On
 * failure @own is the caller's again, as it was. */
static UscMessage *
message_new (GBytes *raw, char *own, gsize own_len, const UscLimits *limits, GError **error)
{
  UscMessage *msg = g_new0 (UscMessage, 1);
  UscLimits defaults;
  usc_limits_init (&defaults);
  msg->limits = limits ? *limits : defaults;
  /* a zero (unset) limit means the default, never "reject everything" */
  if (msg->limits.max_bytes == 0)
    msg->limits.max_bytes = defaults.max_bytes;
  if (msg->limits.max_header_bytes == 0)
    msg->limits.max_header_bytes = defaults.max_header_bytes;
  if (msg->limits.max_headers == 0)
    msg->limits.max_headers = defaults.max_headers;
  if (msg->limits.max_depth == 0)
    msg->limits.max_depth = defaults.max_depth;
  if (msg->limits.max_parts == 0)
    msg->limits.max_parts = defaults.max_parts;
  if (msg->limits.max_seconds <= 0)
    msg->limits.max_seconds = defaults.max_seconds;
  msg->deadline = usc_now_monotonic () + (gint64) (msg->limits.max_seconds * G_USEC_PER_SEC);
  gsize rlen = own_len;
  const char *rdata = own;
  if (raw != NULL) {
    msg->raw = g_bytes_ref (raw);
    rdata = g_bytes_get_data (raw, &rlen);
  } else {
    msg->in_place = own;
    msg->in_place_len = own_len;
  }
  if (rlen > msg->limits.max_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "message of %" G_GSIZE_FORMAT " bytes exceeds the size limit of %" G_GSIZE_FORMAT " bytes",
                 rlen, msg->limits.max_bytes);
    return message_fail (msg);
  }
  if (rlen == 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "empty message");
    return message_fail (msg);
  }

  gsize skip = usc_mbox_from_end (rdata, rlen);
  if (skip > 0) {
    gsize el;
    gsize e = raw_line_end (rdata, 0, rlen, &el);
    msg->mbox_sender = mbox_from_address (rdata, e);
    msg->had_mbox_from = TRUE;
  }

  guint n_fields = 0;
  gsize rh = raw_header_end (rdata + skip, rlen - skip, &n_fields, &msg->raw_eol);
  msg->raw_header_end = skip + rh;
  if (rh > msg->limits.max_header_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "header block of %" G_GSIZE_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT " bytes",
                 rh, msg->limits.max_header_bytes);
    return message_fail (msg);
  }
  if (n_fields > msg->limits.max_headers) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "%u header fields exceed the limit of %u", n_fields, msg->limits.max_headers);
    return message_fail (msg);
  }

  /* twice the per-parse limits for the whole message: the top-level parse
   * (bounded by them alone) always leaves at least as much to the re-parses */
  msg->budget = usc_budget_new (rlen, MIN (msg->limits.max_header_bytes, G_MAXSIZE / 2) * 2,
                                MIN (msg->limits.max_headers, G_MAXUINT / 2) * 2,
                                MIN (msg->limits.max_parts, G_MAXUINT / 2) * 2,
                                msg->limits.max_seconds);
  msg->budget->deadline = msg->deadline;
  /* LF input (nearly all mail delivered on Unix) is parsed where it lies,
   * in the raw bytes: no copy. Only CR (CRLF, CR-only) needs one. */
  GBytes *backing = msg->raw;
  if (own != NULL) {
    /* CRLF throughout: turned to LF where it lies (usc_message_raw_bytes()
     * turns it back), parsed there, as LF input is */
    gsize n = crlf_to_lf (own, own_len);
    msg->text_bytes = backing = g_bytes_new_static (own, n);
    gsize lskip = usc_mbox_from_end (own, n);
    msg->text = own + lskip;
    msg->text_len = n - lskip;
  } else if (memchr (rdata + skip, '\r', rlen - skip) == NULL) {
    msg->text = rdata + skip;
    msg->text_len = rlen - skip;
  } else {
    gsize tlen;
    char *t = normalize_eol (rdata + skip, rlen - skip, &tlen);
    msg->text_bytes = backing = g_bytes_new_take (t, tlen);
    msg->text = t;
    msg->text_len = tlen;
  }
  usc_budget_take_bytes (msg->budget, msg->text_len);
  msg->mime = parse_text (msg->text, msg->text_len, backing, &msg->limits, TRUE, msg->budget, FALSE, NULL,
                          &msg->parse_limited);
  if (msg->mime == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "not a mail message");
    return message_fail (msg);
  }
  return msg;
}

UscMessage *
usc_message_new_from_bytes (GBytes *raw, const UscLimits *limits, GError **error)
{
  return message_new (raw, NULL, 0, limits, error);
}

UscMessage *
usc_message_new_in_place (GBytes **raw, const UscLimits *limits, GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (*raw, &len);
  UscMessage *msg;
  if (len == 0 || !all_crlf (data, len)) {
    msg = message_new (*raw, NULL, 0, limits, error);
    if (msg != NULL)
      g_clear_pointer (raw, g_bytes_unref);
    return msg;
  }
  /* no copy when the caller's reference was the only one */
  char *buf = g_bytes_unref_to_data (g_steal_pointer (raw), &len);
  msg = message_new (NULL, buf, len, limits, error);
  if (msg == NULL)
    *raw = g_bytes_new_take (buf, len);
  return msg;
}

GBytes *
usc_message_raw_bytes (UscMessage *msg)
{
  if (msg->raw == NULL && msg->in_place != NULL) {
    lf_to_crlf (msg->in_place, g_bytes_get_size (msg->text_bytes), msg->in_place_len);
    msg->raw = g_bytes_new_take (g_steal_pointer (&msg->in_place), msg->in_place_len);
    msg->text = NULL;
    msg->text_len = 0;
  }
  return g_bytes_ref (msg->raw);
}

UscMessage *
usc_message_new_from_data (const void *data, gsize len, const UscLimits *limits, GError **error)
{
  UscLimits l;
  if (limits == NULL) {
    usc_limits_init (&l);
    limits = &l;
  }
  if (limits->max_bytes && len > limits->max_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "message of %" G_GSIZE_FORMAT " bytes exceeds the size limit of %" G_GSIZE_FORMAT " bytes",
                 len, limits->max_bytes);
    return NULL;
  }
  GBytes *raw = g_bytes_new (data, len);
  UscMessage *msg = usc_message_new_from_bytes (raw, limits, error);
  g_bytes_unref (raw);
  return msg;
}

UscMessage *
usc_message_read_fd (int fd, const UscLimits *limits, GError **error)
{
  UscLimits l;
  if (limits == NULL) {
    usc_limits_init (&l);
    limits = &l;
  }
  GBytes *raw = usc_read_all (fd, limits->max_bytes, error);
  if (raw == NULL)
    return NULL;
  UscMessage *msg = usc_message_new_in_place (&raw, limits, error);
  if (raw != NULL)
    g_bytes_unref (raw);
  return msg;
}

UscMessage *
usc_message_read_path (const char *path, const UscLimits *limits, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s: %s", path, g_strerror (e));
    return NULL;
  }
  UscMessage *msg = usc_message_read_fd (fd, limits, error);
  close (fd);
  if (msg == NULL && error && *error)
    g_prefix_error (error, "%s: ", path);
  return msg;
}

void
usc_message_free (UscMessage **msg)
{
  if (msg == NULL || *msg == NULL)
    return;
  UscMessage *m = *msg;
  if (m->mime)
    g_object_unref (m->mime);
  if (m->raw)
    g_bytes_unref (m->raw);
  if (m->text_bytes)
    g_bytes_unref (m->text_bytes);
  g_free (m->in_place);
  g_free (m->mbox_sender);
  usc_budget_free (&m->budget);
  g_free (m);
  *msg = NULL;
}

gboolean
usc_message_expired (const UscMessage *msg)
{
  return usc_now_monotonic () > msg->deadline || usc_budget_expired (msg->budget);
}

GBytes *
usc_message_with_headers (const UscMessage *msg, const char *fields)
{
  gsize rlen;
  const char *raw;
  char *crlf = NULL;
  if (msg->raw == NULL) {
    /* parsed in place from CRLF input: the bytes read, in a copy */
    gsize n = g_bytes_get_size (msg->text_bytes);
    crlf = g_malloc (msg->in_place_len);
    memcpy (crlf, msg->in_place, n);
    lf_to_crlf (crlf, n, msg->in_place_len);
    raw = crlf;
    rlen = msg->in_place_len;
  } else
    raw = g_bytes_get_data (msg->raw, &rlen);
  gsize at = MIN (msg->raw_header_end, rlen);
  GString *out = g_string_sized_new (rlen + (fields ? strlen (fields) * 2 : 0) + 4);
  g_string_append_len (out, raw, at);
  if (fields && *fields) {
    /* a header block ending without a line ending (no body, no final newline) */
    if (at > 0 && raw[at - 1] != '\n' && raw[at - 1] != '\r')
      g_string_append (out, msg->raw_eol);
    for (const char *p = fields; *p;) {
      const char *nl = strchr (p, '\n');
      gsize l = nl ? (gsize) (nl - p) : strlen (p);
      if (l && p[l - 1] == '\r')
        l--;
      if (l) {
        g_string_append_len (out, p, l);
        g_string_append (out, msg->raw_eol);
      }
      p = nl ? nl + 1 : p + strlen (p);
    }
  }
  g_string_append_len (out, raw + at, rlen - at);
  g_free (crlf);
  gsize len = out->len;
  return g_bytes_new_take (g_string_free (out, FALSE), len);
}

/* ------------------------------------------------------ embedded messages */

static GMimeMessage *
parse_embedded (const void *data, gsize len, UscBudget *budget, UscFieldKeep keep)
{
  if (data == NULL || len == 0)
    return NULL;
  UscLimits lim;
  usc_limits_init (&lim);
  UscBudget *own = NULL;
  if (budget == NULL)
    budget = own = usc_budget_new (len, lim.max_header_bytes, lim.max_headers, lim.max_parts,
                                   lim.max_seconds);
  if (usc_budget_spent (budget)) {
    usc_budget_free (&own);
    return NULL;
  }
  /* what the budget cannot pay for is not even copied */
  len = usc_budget_take_bytes (budget, len);
  gsize nlen;
  char *text = normalize_eol (data, len, &nlen);
  /* skip leading blank lines and an mbox "From " line */
  gsize i = 0;
  for (;;) {
    gsize j = i;
    while (j < nlen && (text[j] == ' ' || text[j] == '\t'))
      j++;
    if (j < nlen && text[j] == '\n') {
      i = j + 1;
      continue;
    }
    break;
  }
  i += usc_mbox_from_end (text + i, nlen - i); /* @text has LF line endings only */
  gboolean limited;
  GBytes *backing = g_bytes_new_take (text, nlen);
  GMimeMessage *m = i < nlen ? parse_text (text + i, nlen - i, backing, &lim, FALSE, budget, TRUE, keep, &limited)
                             : NULL;
  g_bytes_unref (backing);
  usc_budget_free (&own);
  if (m != NULL && g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))) == 0
      && g_mime_message_get_mime_part (m) != NULL
      && g_mime_header_list_get_count (g_mime_object_get_header_list (g_mime_message_get_mime_part (m))) == 0) {
    g_object_unref (m); /* no header at all: not a message */
    m = NULL;
  }
  return m;
}

GMimeMessage *
usc_mime_parse_embedded (const void *data, gsize len, UscBudget *budget)
{
  return parse_embedded (data, len, budget, NULL);
}

GMimeMessage *
usc_mime_parse_header_fields (const void *data, gsize len, UscBudget *budget, UscFieldKeep keep)
{
  return parse_embedded (data, len, budget, keep);
}

/* ------------------------------------------------------- part contents */

GByteArray *
usc_mime_part_content (GMimeObject *part, gsize max)
{
  if (part == NULL || !GMIME_IS_PART (part))
    return NULL;
  GMimeDataWrapper *w = g_mime_part_get_content (GMIME_PART (part));
  if (w == NULL)
    return NULL;
  GMimeStream *src = g_mime_data_wrapper_get_stream (w);
  if (src == NULL)
    return NULL;
  GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding (w);
  if (GMIME_IS_STREAM_MEM (src) && enc != GMIME_CONTENT_ENCODING_BASE64 &&
      enc != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE && enc != GMIME_CONTENT_ENCODING_UUENCODE) {
    /* nothing to decode, the bytes in memory (a GMime parse of ours, in
     * place): copied once, the bytes a read of the stream would give */
    GByteArray *arr = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (src));
    if (arr != NULL) {
      gint64 end = src->bound_end < 0 ? (gint64) arr->len : MIN (src->bound_end, (gint64) arr->len);
      gint64 start = CLAMP (src->bound_start, 0, end);
      gsize n = (gsize) (end - start);
      if (max && n > max)
        n = max;
      GByteArray *ba = g_byte_array_sized_new ((guint) n + 1);
      g_byte_array_append (ba, arr->data + start, (guint) n);
      guint8 nul = 0;
      g_byte_array_append (ba, &nul, 1);
      g_byte_array_set_size (ba, ba->len - 1);
      return ba;
    }
  }
  /* our own view of the stream: the wrapper's position is left alone */
  GMimeStream *sub = g_mime_stream_substream (src, src->bound_start, src->bound_end);
  GMimeStream *filtered = g_mime_stream_filter_new (sub);
  switch (enc) {
  case GMIME_CONTENT_ENCODING_BASE64:
  case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
  case GMIME_CONTENT_ENCODING_UUENCODE: {
    GMimeFilter *f = g_mime_filter_basic_new (enc, FALSE);
    g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), f);
    g_object_unref (f);
    break;
  }
  default:
    break;
  }
  GByteArray *ba = g_byte_array_new ();
  char buf[8192];
  for (;;) {
    gsize want = sizeof buf;
    if (max && ba->len >= max)
      break;
    ssize_t n = g_mime_stream_read (filtered, buf, want);
    if (n <= 0)
      break;
    g_byte_array_append (ba, (const guint8 *) buf, (guint) n);
  }
  g_object_unref (filtered);
  g_object_unref (sub);
  if (max && ba->len > max)
    g_byte_array_set_size (ba, (guint) max);
  guint8 nul = 0;
  g_byte_array_append (ba, &nul, 1);
  g_byte_array_set_size (ba, ba->len - 1);
  return ba;
}

/* Convert @len bytes from @charset (an iconv name) to UTF-8, replacing what
 * cannot be converted with U+FFFD. NULL when iconv does not know @charset. */
static char *
convert_lossy (const char *data, gsize len, const char *charset)
{
  GIConv cd = g_iconv_open ("UTF-8", charset);
  if (cd == (GIConv) -1)
    return NULL;
  GString *out = g_string_sized_new (len + len / 2 + 8);
  char *in = (char *) data;
  gsize inleft = len;
  char buf[4096];
  while (inleft > 0) {
    char *o = buf;
    gsize oleft = sizeof buf;
    gsize r = g_iconv (cd, &in, &inleft, &o, &oleft);
    g_string_append_len (out, buf, o - buf);
    if (r == (gsize) -1) {
      if (errno == E2BIG)
        continue;
      /* EILSEQ or EINVAL (truncated sequence at the end): skip a byte */
      g_string_append (out, "\xef\xbf\xbd");
      in++;
      inleft--;
      g_iconv (cd, NULL, NULL, NULL, NULL);
    }
  }
  char *o = buf;
  gsize oleft = sizeof buf;
  g_iconv (cd, NULL, NULL, &o, &oleft);
  g_string_append_len (out, buf, o - buf);
  g_iconv_close (cd);
  char *res = g_utf8_make_valid (out->str, out->len); /* drops any NUL issues too */
  g_string_free (out, TRUE);
  return res;
}

char *
usc_mime_part_text (GMimeObject *part, gsize max)
{
  GByteArray *ba = usc_mime_part_content (part, max);
  if (ba == NULL)
    return NULL;
  const char *charset = NULL;
  GMimeContentType *ct = g_mime_object_get_content_type (part);
  if (ct)
    charset = g_mime_content_type_get_parameter (ct, "charset");
  const char *data = (const char *) ba->data;
  char *out = NULL;
  gboolean utf8ish = charset == NULL || g_ascii_strcasecmp (charset, "utf-8") == 0
                     || g_ascii_strcasecmp (charset, "utf8") == 0
                     || g_ascii_strcasecmp (charset, "us-ascii") == 0;
  if (utf8ish && g_utf8_validate (data, ba->len, NULL))
    out = g_strndup (data, ba->len);
  else if (!utf8ish)
    out = convert_lossy (data, ba->len, g_mime_charset_iconv_name (charset));
  if (out == NULL && !g_utf8_validate (data, ba->len, NULL))
    out = convert_lossy (data, ba->len, "WINDOWS-1252"); /* the usual mislabelled 8-bit text */
  if (out == NULL)
    out = g_utf8_make_valid (data, ba->len);
  g_byte_array_unref (ba);
  return out;
}

gsize
usc_mbox_from_end (const void *data, gsize len)
{
  const char *d = data;
  if (len < 5 || memcmp (d, "From ", 5) != 0)
    return 0;
  for (gsize i = 5; i < len; i++) {
    if (d[i] == '\n')
      return i + 1;
    if (d[i] == '\r')
      return i + 1 < len && d[i + 1] == '\n' ? i + 2 : i + 1;
  }
  return len;
}

gsize
usc_mbox_next (const void *data, gsize len, gsize start)
{
  const char *d = data, *end = d + len, *s = d + MIN (start, len);
  for (const char *p = memchr (s, '\n', end - s); p && p + 1 < end; p = memchr (p + 1, '\n', end - (p + 1))) {
    const char *line = p + 1;
    if (usc_mbox_from_end (line, end - line) == 0)
      continue;
    /* the line before it is empty */
    const char *q = p;
    if (q > s && q[-1] == '\r')
      q--;
    if (q > s && q[-1] == '\n')
      return (gsize) (line - d);
  }
  return len;
}

gsize
usc_message_fields_offset (const void *data, gsize len)
{
  const char *d = data;
  gsize at = usc_mbox_from_end (d, len);
  while (at < len && (d[at] == ' ' || d[at] == '\t')) {
    while (at < len && d[at] != '\n' && d[at] != '\r')
      at++;
    if (at < len && d[at] == '\r')
      at++;
    if (at < len && d[at] == '\n')
      at++;
  }
  return at;
}
