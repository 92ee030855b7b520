/* usc-bounce-tables.h — the heuristics of the bounce analysis, as static tables.
 *
 * Every pattern is matched case-insensitively as a plain substring (the text
 * is lower-cased once, ASCII only), except where a table says "prefix".
 * Entries are written in lower case. Scores are combined in the kind files
 * (src/usc-kind-*.c): no single weak hint makes a bounce; structure (report
 * parts, null sender, daemon sender) plus wording does.
 *
 * The tables are in one file per role (this file only includes them):
 *   usc-tables-senders.h    daemon senders; people's, user agents' and lists' fields
 *   usc-tables-dsn.h        non-delivery and delay reports: subjects, wording
 *                           (dsn_body_markers), list software refusing a post
 *   usc-tables-rcpt.h       failed recipients, the reporting host in a text
 *                           notice (reporting_host_markers), feedback recipients
 *   usc-tables-copy.h       where the returned copy begins (copy_separators),
 *                           a person's forward, Message-ID keys in a text body
 *   usc-tables-autoreply.h  auto-replies: subjects, wording, header fields
 *   usc-tables-challenge.h  challenge-response requests
 *   usc-tables-virus.h      anti-virus notices, malware name shapes
 *   usc-tables-mta.h        the MTA family signatures (mta_signatures)
 *
 * Each MTA family's own rows (signatures, wording, separators, the phrase
 * before its host name) are in src/mta/<family>.def, assembled into
 * mta_signatures, dsn_body_markers, copy_separators and
 * reporting_host_markers by the lists of #include lines in the files above;
 * the order of each list is the order of its table (doc/hacking.md, "Adding
 * an MTA").
 */
#ifndef USC_BOUNCE_TABLES_H
#define USC_BOUNCE_TABLES_H

#include "usc-tables-senders.h"
#include "usc-tables-dsn.h"
#include "usc-tables-rcpt.h"
#include "usc-tables-copy.h"
#include "usc-tables-autoreply.h"
#include "usc-tables-challenge.h"
#include "usc-tables-virus.h"
#include "usc-tables-mta.h"

#endif
