/* usc-prescan.c — the pre-scan: the MIME structure walked before GMime
 * sees the text, and the text made safe for GMime's parse.
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
 *     see STRUCTURED_FIELD_MAX in usc-prescan-fields.c.
 * Where the pre-scan could disagree with GMime it errs towards counting more
 * nesting, never less. msg->text itself is never modified: the first change
 * makes a private copy (copy on write), so real mail is parsed in place.
 *
 * This file walks the structure (boundaries, parts, depth); one header
 * block is read by usc-prescan-entity.c, the fields GMime parses eagerly
 * are bounded by usc-prescan-fields.c, Content-Type values read by
 * usc-content-type.c.
 */
#include "config.h"
#include "usc-prescan-private.h"

#include <string.h>

/* Copy on write: the caller's text is never changed; the first change makes
 * a private copy (hostile input only: real mail needs none), which GMime
 * then parses instead. */
void
usc_prescan_make_writable (Scan *sc)
{
  if (sc->own)
    return;
  char *c = g_malloc (sc->n + 1);
  memcpy (c, sc->s, sc->n);
  c[sc->n] = '\0';
  sc->s = c;
  sc->own = TRUE;
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

void
usc_prescan_set_cut (Scan *sc, gsize at)
{
  if (at < sc->cut)
    sc->cut = at;
  sc->limited = TRUE;
}

gsize
usc_prescan (const char *s, gsize n, const UscLimits *lim, gboolean count_top, UscScanStats *stats_r,
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
        EntKind kind = usc_prescan_entity (&sc, &p, depth, parent_digest, toplevel);
        toplevel = FALSE;
        message_start = FALSE;
        if (kind == ENT_STOP)
          break;
        if (kind == ENT_MESSAGE) {
          if (++sc.parts > lim->max_parts) {
            usc_prescan_set_cut (&sc, p);
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
      usc_prescan_set_cut (&sc, p);
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
