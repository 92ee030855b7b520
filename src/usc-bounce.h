/* usc-bounce.h — is this message a bounce, of what kind, from which MTA, and
 * what does it say about the ORIGINAL message (the one it answers)?
 */
#ifndef USC_BOUNCE_H
#define USC_BOUNCE_H

#include <glib.h>
#include "usc-message.h"
#include "usc-payload.h"

G_BEGIN_DECLS

typedef enum {
  USC_KIND_NOT_BOUNCE = 0,
  USC_KIND_DSN,
  USC_KIND_AUTOREPLY,
  USC_KIND_CHALLENGE,
  USC_KIND_VIRUS_NOTICE,
  USC_KIND_FEEDBACK_REPORT
} UscKind;

/* "not-bounce", "dsn", "autoreply", "challenge", "virus-notice", "feedback-report" (static). */
const char *usc_kind_name (UscKind kind);

/* The first returned copy of the original (message/rfc822,
 * text/rfc822-headers, an inline copy, ...) that carries an X-Unscatter-Sig
 * field (usc-sign.h), with the fields that signature covers, as GMime gives
 * them (unfolded). Every member NULL when no returned copy carries one. */
typedef struct {
  char *value;       /* the X-Unscatter-Sig field's value */
  char *message_id;  /* that copy's Message-ID, Date, From, To and Cc fields, or NULL */
  char *date;
  char *from;
  char *to;
  char *cc;
  char *source;      /* where the copy was found (an id_sources word) */
} UscBounceSig;

/* Everything the analysis found. Every string and array is owned by the
 * struct; arrays hold owned char* and are never NULL (possibly empty). */
typedef struct {
  UscKind    kind;
  GPtrArray *message_ids;     /* original's Message-IDs without <>, best first, no duplicates, never the bounce's own */
  GPtrArray *id_sources;      /* parallel to message_ids: "message/rfc822", "text/rfc822-headers",
                                 "message/global", "message/global-headers", "inline-copy", "quoted",
                                 "x-original-message-id", "in-reply-to", "references", "body-text" */
  char      *envelope_id;     /* ENVID (Original-Envelope-Id) or NULL */
  char      *envelope_sender; /* the original's envelope sender (returned Return-Path, X-Postfix-Sender, ...) or NULL */
  GPtrArray *recipients;      /* failed recipients, lower-case */
  GPtrArray *status;          /* status codes ("5.1.1"), in recipient order, no duplicates */
  GPtrArray *diagnostics;     /* diagnostic texts, short, one line each */
  char      *subject;         /* the original's Subject (UTF-8) or NULL */
  char      *date;            /* the original's Date header or NULL */
  char      *bounce_date;     /* this message's own Date header or NULL */
  gint64     bounce_time;     /* this message's Date as seconds since the epoch, or 0 */
  gint64     original_time;   /* the original's Date as seconds, or 0 */
  char      *reporting_mta;   /* or NULL */
  char      *mta_family;      /* "postfix", "exim", ... or NULL (static-table strings copied) */
  gboolean   executable;      /* an attached payload is an executable / script */
  GPtrArray *payload_types;   /* sniffed types of attached non-text payloads (e.g. "application/x-dosexec") */
  GPtrArray *payloads;        /* UscPayload* (owned; usc-payload.h): every attached or returned part
                                 sniffed, in message order, at most 32 */
  GPtrArray *notes;           /* human-readable: why this kind was chosen, where things were found */
  gboolean   truncated;       /* analysis stopped at a limit (depth, parts, time) */
  UscBounceSig signature;     /* the returned original's X-Unscatter-Sig (members NULL: none) */
} UscBounce;

/* Analyse @msg. Returns a new UscBounce (kind USC_KIND_NOT_BOUNCE for
 * ordinary mail); NULL with @error only on internal failure. */
UscBounce *usc_bounce_analyze (UscMessage *msg, GError **error);

/* Frees and sets *@bounce to NULL; accepts NULL. */
void usc_bounce_free (UscBounce **bounce);

/* Allocates an empty result (kind not-bounce). */
UscBounce *usc_bounce_new (void);

G_END_DECLS
#endif
