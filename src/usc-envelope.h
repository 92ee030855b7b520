/* usc-envelope.h — the delivery's envelope: who the bounce was sent to (the
 * possibly BATV-tagged address) and from, found from options, the
 * environment of procmail/maildrop/Postfix/Exim/Dovecot, or headers.
 */
#ifndef USC_ENVELOPE_H
#define USC_ENVELOPE_H

#include <glib.h>
#include "usc-message.h"

G_BEGIN_DECLS

/* The longest envelope address taken, in bytes: RFC 5321's 64-byte local
 * part, '@' and a 255-byte domain (4.5.3.1). A longer value, or one with
 * blanks, control characters or invalid UTF-8, from an option, the
 * environment or a header field, is not an address and is ignored (the next
 * source is tried). */
#define USC_ADDRESS_MAX 320

typedef struct {
  char       *recipient;        /* owned, or NULL when nothing said */
  const char *recipient_source; /* static: "option", "env:ORIGINAL_RECIPIENT", "X-Original-To", ... */
  char       *sender;           /* owned, "" for the null sender, or NULL when unknown */
  const char *sender_source;    /* static */
} UscEnvelope;

/* Fill @env for @msg. @opt_recipient / @opt_sender (command-line values) win;
 * then the environment (ORIGINAL_RECIPIENT, ORIG_RECIPIENT, RECIPIENT; SENDER);
 * then headers (X-Original-To, Envelope-To, topmost Delivered-To,
 * topmost "Received: ... for <addr>"; Return-Path, the mbox "From " line).
 * Never fails. Clear with usc_envelope_clear(). */
void usc_envelope_find (UscEnvelope *env, const UscMessage *msg,
                        const char *opt_recipient, const char *opt_sender);

void usc_envelope_clear (UscEnvelope *env);

G_END_DECLS
#endif
