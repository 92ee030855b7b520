/* usc-dsn.h — RFC 3464 / RFC 6522 delivery-status parsing, including the
 * RFC 6533 message/global-delivery-status form (UTF-8 allowed), and RFC 8098
 * message disposition notifications (message/disposition-notification, and
 * RFC 6533's message/global-disposition-notification), whose fields are read
 * by the same parser: Original-Message-ID, Final-Recipient and
 * Original-Recipient like a DSN's, Reporting-UA, Disposition, Failure/Error.
 *
 * The files: usc-dsn.c (the parse: groups, fields, the report),
 * usc-dsn-value.[ch] (each field's value cleaned), usc-mdn.[ch] (what a
 * Disposition says).
 */
#ifndef USC_DSN_H
#define USC_DSN_H

#include <glib.h>
#include "usc-common.h"

G_BEGIN_DECLS

typedef struct {
  char *final_recipient;    /* address only (type prefix "rfc822;" / "utf-8;" removed), lower-case; may be NULL */
  char *original_recipient; /* likewise; may be NULL */
  char *action;             /* lower-case: failed, delayed, delivered, relayed, expanded; may be NULL */
  char *status;             /* "5.1.1"; may be NULL */
  char *diagnostic;         /* Diagnostic-Code text (type prefix removed, unfolded); may be NULL */
  char *remote_mta;         /* Remote-MTA name; may be NULL */
} UscDsnRecipient;

typedef struct {
  char      *reporting_mta;     /* name only ("dns;" removed); may be NULL */
  char      *envelope_id;       /* Original-Envelope-Id; may be NULL */
  char      *received_from_mta; /* may be NULL */
  char      *arrival_date;      /* may be NULL */
  char      *x_sender;          /* X-Postfix-Sender / X-Original-Sender style envelope sender; may be NULL */
  char      *original_message_id; /* X-Original-Message-ID / Original-Message-ID in the report, without <>; may be NULL */
  GPtrArray *recipients;        /* UscDsnRecipient*, owned */
  /* RFC 8098 (NULL in a DSN) */
  char      *reporting_ua;      /* Reporting-UA, unfolded; may be NULL */
  char      *disposition;       /* Disposition, lower-case, white space removed
                                 * ("automatic-action/mdn-sent-automatically;deleted/error"); may be NULL */
  char      *mdn_error;         /* Failure: / Error: text (RFC 3798 / 8098), unfolded; may be NULL */
} UscDsnReport;

/* Parse the body of a message/delivery-status (or message/global-delivery-status)
 * part: @text of @len bytes (LF or CRLF). Tolerant: unknown fields are skipped,
 * folded lines unfolded, blank-line separated groups taken as the per-message
 * group followed by per-recipient groups. Returns a new report (possibly with
 * no recipients), or NULL with @error when nothing DSN-like is there. */
UscDsnReport *usc_dsn_parse (const char *text, gsize len, GError **error);

/* Frees the report and sets *@report to NULL; accepts NULL. */
void usc_dsn_report_free (UscDsnReport **report);

/* TRUE when @s (e.g. "5.1.1", "4.4.7") is a syntactically valid RFC 3463 status. */
gboolean usc_dsn_status_valid (const char *s);

G_END_DECLS

/* the RFC 8098 reading of a report (usc-mdn.c), in the same include */
#include "usc-mdn.h"
#endif
