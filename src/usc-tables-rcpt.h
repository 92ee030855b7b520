/* usc-tables-rcpt.h — the failed recipients and the reporting host in a text notice.
 *
 * What src/usc-bounce-rcpt-text.c and src/usc-bounce-rcpt.c read: the words of a line naming the failed
 * address, the keys and phrases before it, the phrases before the reporting
 * host (each MTA's own in src/mta/<family>.def, assembled into
 * reporting_host_markers), and the fields of a feedback report naming the
 * recipient.
 *
 * One of the bounce analysis's tables, included through usc-bounce-tables.h
 * (its conventions apply). Keep each table's order: where the first match
 * wins, order is meaning.
 */
#ifndef USC_TABLES_RCPT_H
#define USC_TABLES_RCPT_H

/* Words on a line of a text bounce that names the failed address. */
static const char *const failure_words[] = {
  "unknown", "invalid", "not found", "no such", "does not exist", "doesn't exist",
  "rejected", "failed", "undeliverable", "unavailable", "not delivered", "error",
  "refused", "disabled", "over quota", "quota exceeded", "mailbox full", "is full",
  "denied", "blocked", "could not", "couldn't", "cannot", "unable", "unrouteable",
  "not exist", "inactive", "suspended", " 550", " 551", " 552", " 553", " 554",
};

/* Keys (text before the first colon of a line) that name a recipient in a
 * text notice: "Recipient:", "Recipient of the message:", "Empfänger:". */
static const char *const recipient_keys[] = {
  "recipient", "empfänger", "empfaenger", "destinataire", "destinatario", "destinatário",
  "destinatari", "ontvanger", "mottagare", "modtager", "mottaker", "получател", "адресат",
  "rcpt", "failed address", "undeliverable address", "addressee",
};

/* Phrases followed by the failed address inside a sentence ("the message
 * you sent to bob@example.com was infected"). */
static const char *const recipient_phrases[] = {
  "you sent to", "sent to", "addressed to", "your message to", "message to",
  "delivered to", "deliver to", "delivery to", "could not reach", "mail to",
  "gesendet an", "nachricht an", "envoyé à", "message à", "enviado a", "mensaje a",
  "inviato a", "messaggio a", "verzonden aan", "bericht aan",
};

/* ... but not these ("Recipient server:", "Recipient's domain"). */
static const char *const recipient_key_exclusions[] = {
  "server", "host", "domain", "mta", "count", "number",
};

/* "... at HOST" phrases that name the reporting host in a text notice. */
static const char *const reporting_host_markers[] = {
#define USC_MTA_REPORTING_HOST(phrase) phrase,
#include "mta/begin.h"
#include "mta/postfix.def"
#include "mta/qmail.def"
#include "mta/courier.def"
#include "mta/end.h"
  "this is the mailer-daemon at ", "hello, this is the mail server on ",
};

/* Fields of a message/feedback-report part that name whom the reported
 * message was delivered to (RFC 5965 section 3.2; RFC 6650 Removal-Recipient). */
static const char *const feedback_recipient_fields[] = {
  "Original-Rcpt-To:", "Removal-Recipient:",
};

/* Headers a feedback loop adds to the returned copy to name its recipient
 * (Hotmail/Outlook.com JMRP). */
static const char *const feedback_copy_recipient_headers[] = {
  "X-HmXmrOriginalRecipient",
};

#endif
