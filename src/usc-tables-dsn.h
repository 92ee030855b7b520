/* usc-tables-dsn.h — the wording of non-delivery and delay reports.
 *
 * Their subjects and body wording (each MTA's own in src/mta/<family>.def,
 * assembled into dsn_body_markers), and list software refusing a post; read
 * by src/usc-bounce-evidence.c, src/usc-kind-dsn.c and src/usc-screen.c.
 *
 * One of the bounce analysis's tables, included through usc-bounce-tables.h
 * (its conventions apply). Keep each table's order: where the first match
 * wins, order is meaning.
 */
#ifndef USC_TABLES_DSN_H
#define USC_TABLES_DSN_H

/* Subjects of non-delivery / delay reports (substring of the lower-cased,
 * decoded Subject). */
static const char *const dsn_subjects[] = {
  "undelivered mail returned to sender", "undeliverable", "undelivered mail",
  "returned mail", "mail delivery failed", "delivery status notification",
  "delivery failure", "failure notice", "delivery notification",
  "mail system error", "nondeliverable", "non-deliverable", "non deliverable",
  "non-delivery", "non delivery", "delivery has failed", "message delivery has failed",
  "could not send message", "mail could not be delivered", "could not be delivered",
  "delivery reports about your e-mail", "notice: mail delivery status",
  "delayed mail", "delivery delayed", "message not delivered", "was not delivered",
  "delivery problem", "mail delivery problem", "delivery error", "mail error",
  "returned to sender", "message rejected", "mail rejected", "unable to deliver",
  "delivery failed", "failed delivery", "warning: message", "returning message to sender",
  "message delivery failure", "permanent delivery failure", "temporary delivery failure",
  "unzustellbar", "nicht zustellbar", "zustellung fehlgeschlagen", "unzustellbare",
  "non remis", "non distribuable", "échec de la remise", "echec de la remise",
  "non recapitabile", "mancato recapito", "no se puede entregar", "no entregado",
  "onbestelbaar", "niet afgeleverd", "olevererbart", "kan ikke leveres",
  "не доставлено", "недоставленное", "не удалось доставить", "ошибка доставки",
  "não é possível entregar", "nao e possivel entregar", "não entregue", "ej levererbart",
  "niedostarczalne", "niedostarczona", "недоставляемое", "无法送达", "無法傳遞", "退信通知",
  "nedoručitelné", "nelze doručit", "ikke leveret", "ikke levert", "kan ikke leveres",
  "ei voitu toimittaa", "teslim edilemeyen", "teslim edilemedi", "kézbesíthetetlen",
  "nedostavljivo", "nu poate fi livrat", "未配達", "配信不能", "エラー", "退信", "系统退信", "mail failure", "delivery status",
  "[postmaster]", "postmaster notify", "mail not delivered", "message you sent",
  "bounced mail", "bounce notification", "delivery failures", "user unknown",
  "your message couldn't be delivered", "your message wasn't delivered",
  "your message could not be delivered", "message undeliverable", "mail routing error",
  "delivery report", "nondelivery", "rejected:", "sending failed", "sending error",
  "error sending message", "permanent error", "returned:", "mail returned",
  "mail failed", "returning to sender", "mail delivery failure", "our bulk email filter", "not member", "error sending your mail",
  "there was an error sending", "could not deliver", "failed to deliver",
  "message blocked", "blocked by policy", "delivery report: failed", "address not found",
};

/* Body wording of non-delivery reports. "strong" ones are MTA boilerplate. */
typedef struct { const char *needle; int strong; } UscMarker;

static const UscMarker dsn_body_markers[] = {
  /* each MTA's own wording (src/mta/<family>.def), in this order: the first
   * strong one found is the one --explain names */
#define USC_MTA_MARKER(needle, strong) { needle, strong },
#include "mta/begin.h"
#include "mta/postfix.def"
#include "mta/sendmail.def"
#include "mta/exim.def"
#include "mta/qmail.def"
#include "mta/courier.def"
#include "mta/opensmtpd.def"
#include "mta/dragonfly.def"
#include "mta/exchange.def"
#include "mta/gmail.def"
#include "mta/yahoo.def"
#include "mta/amazonses.def"
#include "mta/domino.def"
#include "mta/groupwise.def"
#include "mta/end.h"
  /* wording many send: Mimecast, McAfee, Barracuda, MessageLabs, Zoho, Mail.ru, GMX, Yandex, ... */
  { "your message couldn't be delivered", 1 },
  { "the following message to", 0 },
  { "was undeliverable", 1 },
  { "message delivery failed", 1 },
  { "this is an automatically generated message", 0 },
  { "unable to deliver your message", 1 },
  { "could not deliver the message", 1 },
  { "could not deliver your message", 1 },
  { "this is a bounce forwarded to you", 1 },
  { "your message could not be delivered", 1 },
  { "your message was not delivered", 1 },
  { "your message cannot be delivered", 1 },
  { "message could not be delivered", 1 },
  { "mail could not be delivered", 1 },
  { "could not be delivered to", 1 },
  { "could not be delivered", 0 },
  { "was not delivered", 0 },
  { "delivery failed", 0 },
  { "delivery has failed", 1 },
  { "permanent failure", 0 },
  { "permanent error", 0 },
  { "undeliverable", 0 },
  { "non-delivery", 0 },
  { "failed recipient", 0 },
  { "the following addresses had", 1 },
  { "the following recipients could not", 1 },
  { "message has not been delivered", 1 },
  { "has not yet been delivered", 1 },
  { "delivery attempts will continue", 1 },
  { "will retry", 0 },
  { "i'm sorry to inform you", 0 },
  { "unable to deliver", 0 },
  { "user unknown", 0 },
  { "mailbox unavailable", 0 },
  { "no such user", 0 },
  { "mailbox is full", 0 },
  { "recipient address rejected", 0 },
  { "host or domain name not found", 0 },
  { "smtp error", 0 },
  { "rcpt to:", 0 },
  { "returned mail", 0 },
  { "this is a delivery status notification", 1 },
  { "did not reach the following recipient", 1 },
  { "we had trouble delivering your message", 1 },
  { "returned permanent errors", 1 },
  { "sent <<< rcpt to:", 1 },
  { ">>> rcpt to:", 1 },
  { "<<< 550", 0 },
  { "<<< 554", 0 },
  { "account is disabled", 0 },
  { "is not recognized", 0 },
  { "recipient not found", 0 },
  { "the recipient server did not accept", 1 },
  { "message could not be sent", 0 },
  { "delivery to the following", 0 },
  { "could not be delivered because", 0 },
  { "the following message could not be delivered", 1 },
  { "the following addresses had delivery problems", 1 },
  { "there was a problem delivering your message", 1 },
  { "each of the following recipients was rejected", 1 },
  { "the error that the other server returned was", 1 },
  { "technical details of permanent failure", 1 },
  { "technical details of temporary failure", 1 },
  { "delays in delivering your message", 1 },
  { "unable to deliver message to", 1 },
  { "hello, this is the mail server on", 1 },
  { "this message could not be delivered", 1 },
  { "this message was created automatically by", 1 },
  { "this report relates to a message you sent", 1 },
  { "your message could not be sent", 1 },
  { "------- failure reasons", 1 },
  { "could not be delivered to mobile", 1 },
  { "technical report:", 0 },
  { "undeliverable mail", 0 },
  { "error(s):", 0 },
  { "failed addresses follow", 1 },
  { "error message below:", 1 },  /* Apache James, Verizon */
  { "invalid user address", 0 },
  { "message non-deliverable", 1 },
  { "had delivery errors", 1 },
  { "you are not a member of this mailing list", 1 },
  { "this is an automatically generated mail", 0 },
  { "returned to sender", 0 },
  { "mail delivery failed", 1 },
  { "delivery failure", 0 },
  { "message rejected", 0 },
  { "following recipient", 0 },
  { "following address", 0 },
  /* German, French, Spanish, Italian, Dutch, Russian, Japanese */
  { "konnte nicht zugestellt werden", 1 },
  { "nicht zugestellt", 0 },
  { "n'a pas pu être remis", 1 },
  { "n'a pas pu etre remis", 1 },
  { "no se pudo entregar", 1 },
  { "non è stato possibile recapitare", 1 },
  { "kon niet worden afgeleverd", 1 },
  { "не может быть доставлено", 1 },
  { "не удалось доставить", 1 },
  { "не доставлено", 0 },
  { "配信できません", 1 },
  { "送信できませんでした", 1 },
};

/* List software refusing a post from a non-member (fml's "You ... are not
 * member", Mailman's and Sympa's non-member rejections): with list headers
 * this is a notice about our message, not list mail (issue 9). Lower case. */
static const char *const list_refusal_words[] = {
  "not a member of this", "are not member", "non-member post", "not subscribed to this list",
  "only members may post", "not allowed to post to",
};

#endif
