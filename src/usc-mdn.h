/* usc-mdn.h — what an RFC 8098 disposition notification says (usc-mdn.c).
 * Included by usc-dsn.h, whose report it reads. */
#ifndef USC_MDN_H
#define USC_MDN_H

#include "usc-dsn.h"

G_BEGIN_DECLS

/* What an MDN's Disposition says about the message it names. */
typedef enum {
  USC_MDN_NONE = 0,   /* no Disposition field: not an MDN */
  USC_MDN_RECEIPT,    /* displayed, dispatched, or deleted by the reader (manual-action) */
  USC_MDN_PROCESSED,  /* processed (or a type this parser does not know), no error */
  USC_MDN_FAILURE     /* deleted automatically (Sieve reject, RFC 5429), failed, rejected,
                       * denied, an "error"/"failed" modifier, or a Failure:/Error: field */
} UscMdnDisposition;

/* The class of @report's Disposition (USC_MDN_NONE for a DSN or NULL). */
UscMdnDisposition usc_mdn_disposition (const UscDsnReport *report);

G_END_DECLS
#endif
