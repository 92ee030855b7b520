/* usc-prescan-private.h — what the files of the pre-scan share
 * (usc-prescan.c: the walk; usc-prescan-entity.c: one header block;
 * usc-prescan-fields.c: the bounds on eagerly parsed fields). Not for
 * anything else: the rest of the library calls usc_prescan() (usc-prescan.h).
 */
#ifndef USC_PRESCAN_PRIVATE_H
#define USC_PRESCAN_PRIVATE_H

#include "usc-prescan.h"

#include <string.h>

G_BEGIN_DECLS

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

typedef enum { SF_NONE, SF_CT, SF_PARAMS, SF_ADDRESS } StructKind;
typedef enum { ENT_LEAF, ENT_MULTIPART, ENT_MESSAGE, ENT_STOP } EntKind;

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

/* usc-prescan.c */
/* Make sc->s the scan's own copy (the first change of hostile input; the
 * caller's text is never changed). */
void usc_prescan_make_writable (Scan *sc);
/* GMime gets no more than the text before @at; the parse is limited. */
void usc_prescan_set_cut (Scan *sc, gsize at);

/* usc-prescan-entity.c */
/* Scan the header block at *@p_io of an entity at @depth; leave *@p_io at its
 * body. Returns what GMime will make of the entity (after neutralising a
 * container that is too deep), or ENT_STOP when the copy was cut. A
 * multipart gets its frame pushed. */
EntKind usc_prescan_entity (Scan *sc, gsize *p_io, guint depth, gboolean parent_digest, gboolean toplevel);

/* usc-prescan-fields.c */
/* Which of the eagerly parsed fields is the one named @name (@len bytes). */
StructKind usc_prescan_structured_kind (const char *name, gsize len);
/* Blank (spaces) the value bytes of @f from offset @from on, keeping its
 * line structure. */
void usc_prescan_blank_value (Scan *sc, const Field *f, gsize from);
/* Apply the caps on eagerly parsed fields to the finished field @f of kind @k. */
void usc_prescan_bound_structured (Scan *sc, const Field *f, StructKind k);
/* Overwrite every Content-Type value of the block so that GMime sees the
 * last one as "x/x" (a leaf). FALSE when there is no room. */
gboolean usc_prescan_neutralize_cts (Scan *sc);

G_END_DECLS
#endif
