/* usc-tables-copy.h — where the notice ends and the returned copy begins.
 *
 * Decorated separator lines, each MTA's copy separator (src/mta/<family>.def,
 * assembled into copy_separators) and the shared ones, a person's forward,
 * and the keys before an original Message-ID in a text body; read by
 * src/usc-bounce-copy.c, src/usc-bounce-refs.c and src/usc-bounce-evidence.c.
 *
 * One of the bounce analysis's tables, included through usc-bounce-tables.h
 * (its conventions apply). Keep each table's order: where the first match
 * wins, order is meaning.
 */
#ifndef USC_TABLES_COPY_H
#define USC_TABLES_COPY_H

/* Words that make a decorated line ("=== ... ===") a copy-of-original
 * separator (see usc_decorated_separator() in usc-bounce-copy.c). */
static const char *const separator_words[] = {
  "original", "message", "header", "copy", "returned",
  "nachricht", "kopfzeilen", "kopfzeile", "en-têtes", "en-tetes", "mensaje", "encabezado",
  "messaggio", "intestazion", "bericht", "meddelande", "besked", "melding", "сообщени",
  "заголов",
};

/* ... unless they head the notice's own sections (Sendmail's "-----
 * Transcript of session follows -----", "----- The following addresses had
 * permanent fatal errors -----"). */
static const char *const separator_exclusions[] = {
  "transcript", "address", "recipient", "error", "reason", "diagnos", "session",
  "empfänger", "destinataire", "fehler",
};

/* Lines that introduce a copy of the original inside a text bounce. */
static const char *const copy_separators[] = {
  /* each MTA's own (src/mta/<family>.def) */
#define USC_MTA_SEPARATOR(needle) needle,
#include "mta/begin.h"
#include "mta/exim.def"
#include "mta/qmail.def"
#include "mta/sendmail.def"
#include "mta/end.h"
  /* many send these */
  "----- original message -----",
  "-----original message-----", "------- returned message --------",
  "--- original message follows", "original message follows", "returned message follows",
  "message headers follow", "original message headers", "the original message was:",
  "original message header", "----- message header follows -----",
  "headers of the original message", "copy of the message", "copy of original message",
  "original headers:", "------ original message ------", "unsent message below",
  "the message header was", "original message:", "--- the header of the original message",
  "message text follows", "original message below", "original message headers:",
  "-------original message",
};

/* Forwarding by a person, in the text. */
static const char *const forward_markers[] = {
  "forwarded message", "begin forwarded message", "weitergeleitete nachricht",
  "message transféré", "mensaje reenviado", "messaggio inoltrato", "doorgestuurd bericht",
};

/* Separator and key shapes inside text bodies that carry an original Message-ID. */
static const struct { const char *key; const char *source; } body_id_keys[] = {
  { "x-original-message-id", "x-original-message-id" },
  { "original-message-id", "x-original-message-id" },
  { "original message-id", "body-text" },
  { "original message id", "body-text" },
  { "message-id", NULL },   /* NULL: inline-copy / quoted / body-text by position */
  { "message id", "body-text" },
  { "smtp-id", "body-text" },       /* ESP bounce summaries */
  { "x-message-id", "body-text" },
  { "messageid", "body-text" },
  /* added after h6: the key in other languages */
  { "identyfikator wiadomości", "body-text" },
  { "id wiadomości", "body-text" },
  { "id del messaggio", "body-text" },
  { "id messaggio", "body-text" },
  { "identificador del mensaje", "body-text" },
  { "id del mensaje", "body-text" },
  { "id de mensaje", "body-text" },
  { "identifiant du message", "body-text" },
  { "id du message", "body-text" },
  { "nachrichten-id", "body-text" },
  { "nachrichtenkennung", "body-text" },
  { "bericht-id", "body-text" },
  { "id da mensagem", "body-text" },
  { "identificador da mensagem", "body-text" },
  { "идентификатор сообщения", "body-text" },
  { "id сообщения", "body-text" },
  { "meddelande-id", "body-text" },
  { "viestin tunnus", "body-text" },
  { "mesaj kimliği", "body-text" },
  { "id-ul mesajului", "body-text" },
  { "メッセージid", "body-text" },
  { "邮件id", "body-text" },
  /* added after h14: the key in more languages (translations of "message
   * ID" in mail software's localisations and dictionaries) */
  { "id e mesazhit", "body-text" },
  { "laiško id", "body-text" },
  { "id sporočila", "body-text" },
  { "id poruke", "body-text" },
  { "id zprávy", "body-text" },
  { "id správy", "body-text" },
  { "üzenetazonosító", "body-text" },
  { "üzenet azonosító", "body-text" },
  { "meddelelses-id", "body-text" },
  { "meldings-id", "body-text" },
  { "sõnumi id", "body-text" },
  { "ziņojuma id", "body-text" },
  { "ileti kimliği", "body-text" },
  { "αναγνωριστικό μηνύματος", "body-text" },
  { "ідентифікатор повідомлення", "body-text" },
  { "id повідомлення", "body-text" },
  { "идентификатор на съобщението", "body-text" },
  { "메시지 id", "body-text" },
  { "邮件标识", "body-text" },
  { "郵件id", "body-text" },
  { "معرف الرسالة", "body-text" },
  { "מזהה הודעה", "body-text" },
  { "شناسه پیام", "body-text" },
  { "id thư", "body-text" },
  { "id pesan", "body-text" },
  { "id mesej", "body-text" },
  { "รหัสข้อความ", "body-text" },
  { "id del missatge", "body-text" },
  { "id y neges", "body-text" },
  { "boodskap-id", "body-text" },
  { "id mesaj", "body-text" },
};

#endif
