/* usc-prescan-fields.c — the pre-scan's bounds on the header fields GMime
 * parses eagerly (parameters, address lists), the Content-Type rewritten
 * to what the structure needs, and a too-deep container's Content-Type
 * overwritten so that GMime takes it as a leaf. All in the copy handed to
 * GMime (copy on write), never in the text read.
 */
#include "config.h"
#include "usc-prescan-private.h"

#include <string.h>

/* Overwrite the value of every Content-Type field of the block so that GMime
 * sees the LAST one as "x/x" (a leaf). FALSE when there is no room. */
gboolean
usc_prescan_neutralize_cts (Scan *sc)
{
  usc_prescan_make_writable (sc);
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

StructKind
usc_prescan_structured_kind (const char *name, gsize len)
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

/* Blank (spaces) the value bytes of @f from offset @from on, keeping its line
 * structure (LFs and the leading blank of continuation lines). */
void
usc_prescan_blank_value (Scan *sc, const Field *f, gsize from)
{
  if (MAX (from, f->vstart) < f->end)
    usc_prescan_make_writable (sc);
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
    usc_prescan_make_writable (sc);
    usc_prescan_blank_value (sc, f, f->vstart);
    memcpy (sc->s + f->vstart, nv->str, nv->len);
  }
  g_string_free (nv, TRUE);
  return fits;
}

/* Apply the caps above to a finished field of kind @k. */
void
usc_prescan_bound_structured (Scan *sc, const Field *f, StructKind k)
{
  gsize vlen = f->end - f->vstart;
  gsize cap = k == SF_ADDRESS ? ADDRESS_FIELD_MAX : STRUCTURED_FIELD_MAX;
  if (sc->structured + MIN (vlen, cap) > STRUCTURED_TOTAL_MAX)
    cap = 0;
  if (vlen > cap) {
    sc->limited = TRUE;
    if (k != SF_CT)
      usc_prescan_blank_value (sc, f, f->vstart + cap);
    else if (!minimize_ct (sc, f))
      usc_prescan_blank_value (sc, f, f->vstart + MAX (cap, (gsize) 1024));
  }
  sc->structured += MIN (vlen, cap);
}
