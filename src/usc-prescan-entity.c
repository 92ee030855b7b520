/* usc-prescan-entity.c — the pre-scan of one header block: its fields
 * counted against the limits, its Content-Type and Content-Transfer-Encoding
 * read as GMime 3 reads them, and what GMime will make of the entity (a
 * leaf, a multipart, a message); a container nested too deep is made a leaf.
 */
#include "config.h"
#include "usc-prescan-private.h"
#include "usc-content-type.h"

#include <string.h>

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

static gboolean
is_rfc822_subtype (const char *subtype)
{
  static const char *const subtypes[] = { "rfc822", "rfc2822", "global", "news" };
  for (guint i = 0; i < G_N_ELEMENTS (subtypes); i++)
    if (g_ascii_strcasecmp (subtype, subtypes[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Scan the header block at *@p_io of an entity at @depth; leave *@p_io at its
 * body. Returns what GMime will make of the entity (after neutralising a
 * container that is too deep), or ENT_STOP when the copy was cut. A multipart
 * gets its frame pushed. */
EntKind
usc_prescan_entity (Scan *sc, gsize *p_io, guint depth, gboolean parent_digest, gboolean toplevel)
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
        usc_prescan_bound_structured (sc, &sf, sk);
      sk = SF_NONE;
      in_field = field_name_ok (line, len, &name_len, &colon);
      in_ct = FALSE;
      if (in_field) {
        sk = usc_prescan_structured_kind (line, name_len);
        sf.start = p;
        sf.vstart = p + colon + 1;
        sf.end = e;
        if (!toplevel || sc->count_top) {
          sc->fields++;
          if (sc->fields > sc->lim->max_headers) {
            usc_prescan_set_cut (sc, p);
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
        usc_prescan_set_cut (sc, p);
        return ENT_STOP;
      }
    }
    p = e < sc->n ? e + 1 : sc->n;
  }
  *p_io = p;
  if (sk != SF_NONE && sk != SF_CT)
    usc_prescan_bound_structured (sc, &sf, sk);
  /* GMime takes the last Content-Type: the others need not be parsed at all */
  if (sc->cts->len > 1) {
    for (guint k = 0; k + 1 < sc->cts->len; k++)
      usc_prescan_blank_value (sc, &g_array_index (sc->cts, Field, k), 0);
  }
  if (sc->cts->len > 0)
    usc_prescan_bound_structured (sc, &g_array_index (sc->cts, Field, sc->cts->len - 1), SF_CT);

  /* What is it? (GMime: the last Content-Type; digest children default to message/rfc822.) */
  EntKind kind = ENT_LEAF;
  char *boundary = NULL;
  gboolean digest = FALSE;
  gsize ct_t, ct_tl, ct_s, ct_sl, ct_b, ct_bl;
  const Field *last_ct = sc->cts->len > 0 ? &g_array_index (sc->cts, Field, sc->cts->len - 1) : NULL;
  if (last_ct == NULL) {
    if (parent_digest)
      kind = ENT_MESSAGE;
  } else if (!parent_digest && !usc_ct_may_contain (sc->s + last_ct->vstart, last_ct->end - last_ct->vstart)) {
    kind = ENT_LEAF;
  } else if (!parent_digest && usc_ct_plain (sc->s + last_ct->vstart, last_ct->end - last_ct->vstart, &ct_t, &ct_tl,
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
    if (sc->cts->len > 0 && usc_prescan_neutralize_cts (sc)) {
      kind = ENT_LEAF;
    } else if (sc->cts->len > 0 && !parent_digest) {
      usc_prescan_make_writable (sc);
      for (guint k = 0; k < sc->cts->len; k++)
        sc->s[g_array_index (sc->cts, Field, k).start] = 'X'; /* "Xontent-Type": no type, text/plain */
      kind = ENT_LEAF;
    } else {
      usc_prescan_set_cut (sc, entity_start);
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
