/* usc-tables-mta.h — which MTA family sent a bounce.
 *
 * Where a signature is looked for (UscSigWhere) and mta_signatures, the
 * families' rows (src/mta/<family>.def) in the order they are tried: the
 * first matching row wins (src/usc-bounce-family.c).
 *
 * One of the bounce analysis's tables, included through usc-bounce-tables.h
 * (its conventions apply). Keep each table's order: where the first match
 * wins, order is meaning.
 */
#ifndef USC_TABLES_MTA_H
#define USC_TABLES_MTA_H

/* Where an MTA family signature is looked for. */
typedef enum {
  SIG_FROM,          /* the From address (lower-cased) */
  SIG_SUBJECT,       /* the decoded Subject (lower-cased) */
  SIG_HEADER,        /* a header field's value, or "" for its mere presence */
  SIG_RECEIVED,      /* any Received field (lower-cased) */
  SIG_REPORTING,     /* the report's Reporting-MTA (lower-cased) */
  SIG_BODY,          /* the report's own text (lower-cased) */
  SIG_BOUNDARY,      /* the top-level MIME boundary (lower-cased) */
  SIG_MSGID,         /* the bounce's own Message-ID (lower-cased) */
  SIG_DIAG,          /* DSN Diagnostic-Code / Remote-MTA text (lower-cased) */
} UscSigWhere;

typedef struct {
  const char *family;
  UscSigWhere where;
  const char *header;  /* for SIG_HEADER */
  const char *needle;  /* lower-case substring */
} UscSignature;

/* First match wins: specific services before the software they run. Each
 * family's rows are in its src/mta/<family>.def; this list is the order in
 * which the families are tried. */
static const UscSignature mta_signatures[] = {
#define USC_MTA_SIGNATURE(family, where, header, needle) { family, where, header, needle },
#include "mta/begin.h"
  /* Amazon */
#include "mta/workmail.def"
#include "mta/amazonses.def"
  /* Google */
#include "mta/googlegroups.def"
#include "mta/gmail.def"
  /* Microsoft */
#include "mta/office365.def"
#include "mta/exchange.def"
  /* Yahoo, AOL, Apple, Verizon */
#include "mta/yahoo.def"
#include "mta/aol.def"
  /* Webmail providers */
#include "mta/zoho.def"
#include "mta/mailru.def"
#include "mta/gmx.def"
#include "mta/yandex.def"
  /* Gateways and filtering services */
#include "mta/mimecast.def"
#include "mta/mcafee.def"
#include "mta/barracuda.def"
#include "mta/messagelabs.def"
  /* Groupware */
#include "mta/domino.def"
#include "mta/groupwise.def"
  /* MTA software */
#include "mta/dragonfly.def"
#include "mta/opensmtpd.def"
#include "mta/courier.def"
#include "mta/qmail.def"
#include "mta/exim.def"
#include "mta/postfix.def"
#include "mta/sendmail.def"
#include "mta/end.h"
  /* last resort: the families' weak rows (a Received trace every relay writes) */
#define USC_MTA_SIGNATURE_LAST(family, where, header, needle) { family, where, header, needle },
#include "mta/begin.h"
#include "mta/postfix.def"
#include "mta/end.h"
};

#endif
