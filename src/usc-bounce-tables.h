/* usc-bounce-tables.h — the heuristics of the bounce analysis, as static tables.
 *
 * Every pattern is matched case-insensitively as a plain substring (the text
 * is lower-cased once, ASCII only), except where a table says "prefix".
 * Entries are written in lower case. Scores are combined in the kind files
 * (src/usc-kind-*.c): no single weak hint makes a bounce; structure (report
 * parts, null sender, daemon sender) plus wording does.
 *
 * Each MTA family's own rows (signatures, wording, separators, the phrase
 * before its host name) are in src/mta/<family>.def, assembled below into
 * mta_signatures, dsn_body_markers, copy_separators and
 * reporting_host_markers by the lists of #include lines; the order of each
 * list is the order of its table (doc/hacking.md, "Adding an MTA").
 */
#ifndef USC_BOUNCE_TABLES_H
#define USC_BOUNCE_TABLES_H

/* Local parts of the senders of non-delivery reports (exact match). */
static const char *const daemon_local_parts[] = {
  "mailer-daemon", "mailer_daemon", "mailerdaemon", "mail-daemon", "maildaemon",
  "postmaster", "post_master", "post-master", "mail.daemon", "mdaemon", "mmdf", "mailadmin", "mail-admin",
  "mail_system", "mailsystem", "mailerdaemon-noreply", "no-reply-mailer-daemon",
  "postmaster-noreply", "delivery-status", "nondelivery", "mailer-daemon-noreply",
};

/* Local parts that daemons use, but people and cron jobs too (weak hint). */
static const char *const weak_daemon_local_parts[] = {
  "smtp", "mailer", "mail", "bounce", "bounces", "nobody", "root", "system", "daemon",
  "mta", "mailman", "noreply", "no-reply", "do-not-reply", "donotreply", "admin",
  "administrator", "notification", "notifications", "mailrelay", "mx", "gateway",
};

/* Local-part prefixes that mark a daemon sender ("postmaster-xyz", "MAILER-DAEMON1"). */
static const char *const daemon_local_prefixes[] = {
  "mailer-daemon", "postmaster", "microsoftexchange", "mail-daemon", "mailerdaemon",
};

/* Display names of daemon senders (substring of the lower-cased name). */
static const char *const daemon_display_names[] = {
  "mail delivery", "mailer-daemon", "mailer daemon", "mail administrator",
  "postmaster", "mail system", "delivery status", "microsoft outlook",
  "microsoft exchange", "mail delivery subsystem", "mail delivery system",
  "internet mail delivery", "returned mail", "mail router", "mailer_daemon",
  "e-mail delivery", "email delivery", "delivery notification", "smtp gateway",
  "mail transport", "post office", "mail-daemon", "undeliverable",
  "systemadministrator", "system administrator", "content-filter at", "mail deliver system",
  "interscan", "mail delivery service", "mail server",
};

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

/* Words that make a decorated line ("=== ... ===") a copy-of-original
 * separator (see decorated_separator() in usc-bounce.c). */
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

/* Auto-reply subjects: prefixes of the lower-cased decoded Subject (after
 * leading white space). */
static const char *const autoreply_subject_prefixes[] = {
  "auto:", "auto reply", "auto-reply", "autoreply", "auto response", "auto-response",
  "autoresponse", "automatic reply", "automatic response", "automated reply",
  "automated response", "automatische antwort", "autosvar", "automatisch antwoord",
  "automaattinen vastaus", "odpowiedź automatyczna", "automatyczna odpowiedź",
  "réponse automatique", "reponse automatique", "respuesta automática",
  "respuesta automatica", "risposta automatica", "resposta automática",
  "resposta automatica", "abwesenheitsnotiz", "out of office:", "out of the office:",
  "out-of-office:", "ooo:", "[ooo]", "автоответ", "автоматический ответ", "自動応答",
  "自動返信", "automatická odpověď", "otomatik yanıt", "otomatik cevap", "自动回复",
  "自動回覆", "자동 회신", "자동 응답", "afwezigheidsbericht", "automatikus válasz",
  "αυτόματη απάντηση", "[auto-reply]", "[autoreply]", "(auto-reply)",
  "message d'absence", "réponse d'absence", "reponse d'absence", "absence du bureau",
  "fuera de la oficina:", "ausencia:", "fuori sede:", "fuori ufficio:", "afwezig:",
  "ausente:", "resposta de ausência", "mensagem de ausência",
  /* added after h7 */
  "trả lời tự động", "מענה אוטומטי", "رد تلقائي", "پاسخ خودکار", "स्वतः उत्तर", "ตอบกลับอัตโนมัติ",
  "balasan otomatis", "balasan automatik", "jawaban otomatis", "автовідповідь", "răspuns automat",
  "raspuns automat", "автоматичен отговор", "automatski odgovor", "automatická odpoveď",
  "automatisk svar", "automatinis atsakymas", "automātiskā atbilde", "automaatne vastus",
  "sjálfvirkt svar", "awtomatikong tugon",
};

/* The stem of "automatic" in many languages and scripts: a subject
 * "<1-3 words with it>: ..." is an automatic answer's prefix in a language
 * the prefix table does not list (Catalan "resposta automàtica:", Albanian
 * "përgjigje automatike:", Serbian "аутоматски одговор:", Swahili "jibu la
 * kiotomatiki:"). Lower case (UTF-8). */
static const char *const autoreply_subject_stems[] = {
  "automat", "otomat", "awtomat", "automaat", "autom\xc3\xa1t", "autom\xc3\xa0t", "автомат",
  "аутомат", "αυτόματ", "αυτοματ", "samodejn" /* Slovenian */, "uathoibr" /* Irish */,
};

/* ... but not these words ("Automation meeting: agenda"). */
static const char *const autoreply_stem_exclusions[] = {
  "automation", "automatiz", "automatis", "automated test", "automatic update", "automatic payment",
  "automatic renewal",
};

/* Auto-reply words so unambiguous that they count anywhere in a subject
 * that is not a reply or forward ("【自動返信】Re: ...", "Re: x [Auto-Reply]"). */
static const char *const autoreply_subject_tokens[] = {
  "自動返信", "自動応答", "自动回复", "自動回覆", "자동 회신", "자동 응답", "[auto-reply]",
  "[autoreply]", "(auto-reply)", "(autoreply)", "[auto reply]", "(automatic reply)",
  "[automatic reply]", "[ooo]", "(ooo)", "out of office re:", "out of office reply",
};

/* Auto-reply subjects that END with the absence, the responder putting the
 * person's name first ("Ravi Patel is out of the office."), or
 * vacation(1)'s default subject; only for subjects that are no reply or
 * forward, and worth no more than a weak prefix. */
static const char *const autoreply_subject_phrases[] = {
  "is out of the office", "is out of office", "away from my mail", "away from my e-mail",
  "out of office autoreply", "out of office auto-reply", "est absent", "ist abwesend",
  "ist nicht im büro", "está ausente", "è assente", "is afwezig",
};

/* Weaker: subjects a person might also write ("Out of office tomorrow"). */
static const char *const autoreply_subject_weak_prefixes[] = {
  "abwesenheit", "abwesend", "außer haus", "ausser haus", "out of office",
  "out of the office", "out-of-office", "ooo ", "away from", "away until", "i am away",
  "i'm away", "on vacation", "vacation", "on holiday", "on leave", "absence", "absent",
  "fuera de la oficina", "fuori sede", "fuori ufficio", "afwezig", "congés", "conges",
  "отсутствую", "不在", "fraværende", "frånvarande", "poissa", "ausente", "assente",
  "thank you for your email", "thank you for your message", "thanks for your email",
  "thanks for your message", "we have received your", "we received your",
  "your email has been received", "ticket received", "request received",
  "automatic notification", "urlaub", "férias", "ferias", "vacances", "vacaciones",
  "in ferie", "parental leave", "maternity leave",
  /* added after h9 */
  "away notice", "annual leave",
};

/* Auto-reply wording in the body. */
static const char *const autoreply_body_markers[] = {
  "out of the office", "out of office", "i am currently away", "i am away",
  "i'm away", "i will be away", "i am on vacation", "i'm on vacation",
  "limited access to e", "upon my return", "when i return", "i will return",
  "i'll be back", "i will be back", "returning to the office", "back in the office",
  "auto-reply", "automatic reply", "automatische antwort", "abwesend",
  "bin ich nicht erreichbar", "réponse automatique", "je suis absent",
  "respuesta automática", "estoy fuera", "sono assente", "ben afwezig",
  "в отпуске", "отсутствую", "不在", "thank you for your email",
  "nicht im büro", "nicht im buero", "vielen dank für ihre nachricht", "keinen zugriff",
  "no access to e-mail", "no access to email", "will not be forwarded", "with limited access",
  "i am out", "i'm out", "currently out", "away from the office", "away from my desk",
  "thank you for your message", "we have received your", "this is an automated",
  "this is an automatic", "automated response to your message", "is out of the office",
  "only notification you will receive while this person is away",
  "once i'm back", "until i'm back", "when i'm back", "i'm travelling", "i am travelling",
  "i'm traveling", "i am traveling", "will reply when", "will reply once", "will respond when",
  "until my return", "no longer monitored", "parental leave", "maternity leave",
  "nicht weitergeleitet", "estou de férias", "acesso limitado", "自動返信", "自動応答", "自动回复", "자동 회신",
  /* helpdesk acknowledgements */
  "has been received and", "request has been received", "ticket has been created",
  "reply above this line", "we will get back to you", "will respond as soon as",
  /* French, Spanish, Italian, German, Dutch, Portuguese */
  "je suis en congé", "je suis en conge", "en congé jusqu", "absent du bureau",
  "de retour le", "je serai de retour", "estoy de vacaciones", "fuera de la oficina",
  "estaré de vuelta", "sono in ferie", "fuori ufficio", "sarò di ritorno",
  "ich bin bis", "im urlaub", "ik ben afwezig", "met vakantie", "estou de férias",
  "ausente do escritório",
  /* added after h9 */
  "on annual leave", "has not been forwarded", "no access to my mailbox",
};

/* Header fields whose presence marks an auto-reply (value substring, "" = any). */
static const struct { const char *name; const char *value; } autoreply_headers[] = {
  { "X-Autoreply", "" },
  { "X-Autorespond", "" },
  { "X-Autoresponder", "" },
  { "X-Vacation", "" },
  { "X-Apple-Action", "vacation" },
  { "Precedence", "auto_reply" },
  { "X-Precedence", "auto_reply" },
  { "X-Auto-Reply", "" },
  { "X-AutoReply-From", "" },
  { "X-Mail-Autoreply", "" },
  { "X-Autogenerated", "reply" },
  { "X-FC-MachineGenerated", "" },
  { "X-Mailer", "vacation" },
  { "X-POST-MessageClass", "autoreply" },
  { "Delivered-To", "autoresponder" },
  { "X-MS-Exchange-Organization-AutoReplyCount", "" },
  { "X-Auto-Response", "" },
};

/* Challenge-response systems. */
static const char *const challenge_subjects[] = {
  "please confirm", "confirm your", "confirmation required", "verification required",
  "verify your", "awaiting your confirmation", "awaiting verification",
  "pending verification", "spam arrest", "spamarrest", "boxbe", "sender verification",
  "challenge", "whitelist", "approval required", "request to deliver",
  "your message is awaiting", "message held", "is waiting for your confirmation",
  "please verify", "verify you are", "authentication required", "bitte bestätigen",
  "awaiting approval", "waiting for approval", "pending approval", "held for approval",
  "on hold", "verify you are human", "are you human", "registration request",
  "bestätigen sie", "bestaetigen sie", "wartet auf freigabe", "freigabe erforderlich",
  "confirmez", "confirmation requise", "confirme su", "verifique su", "conferma il",
  "verificación de remitente", "verificacion de remitente", "hasn't received your email",
  "has not received your email", "hasn't received your message", "to complete delivery",
  "complete delivery of", "conferma il tuo", "conferma l'invio", "vérification de l'expéditeur",
  "verification de l'expediteur", "bevestig uw", "is pending",
};

static const char *const challenge_body_markers[] = {
  "spamarrest", "spam arrest", "boxbe", "choicemail", "challenge-response",
  "challenge/response", "verify that you are a human", "verify that you are a real person",
  "prove that you are a human", "prove you are human", "i am using a spam",
  "i use a spam", "to have your message delivered", "to get your message delivered",
  "your message is being held", "your message has been held",
  "list of approved senders", "approved senders list", "add you to my",
  "please confirm that you sent", "please click the link below to verify",
  "click on the link below to confirm", "tmda", "mailblocks", "only accept mail from",
  "whitelist", "white list", "one-time verification", "sender verification",
  "waiting for your confirmation", "confirm your message", "verify your message",
  "confirm your e-mail", "confirm your email", "reply to this message to confirm",
  "approved senders", "put on hold", "waiting for approval", "awaiting approval",
  "release your message", "verify that you are", "you only need to do this once",
  "keep their inbox free of spam", "keep my inbox free of spam", "solving the short puzzle",
  "only need to do it once", "only need to do this once", "to get it delivered", "unknown senders",
  "sender registration", "approved sender", "verified senders", "confirmed senders",
  /* German, French, Spanish, Italian */
  "dass sie ein mensch sind", "bestätigen sie bitte", "bitte bestätigen sie", "bestätigungsverfahren",
  "zurückgehalten", "bestätigten absender", "zugelassener absender", "zugelassenen absender",
  "que vous êtes une personne", "que vous n'êtes pas un robot", "expéditeurs autorisés",
  "que usted es una persona", "remitentes autorizados", "mittenti autorizzati",
  "remitentes verificados", "mensaje está retenido", "mensaje retenido", "solo acepto mensajes",
  "confirm your identity", "before your message can be delivered", "email from new senders",
  "mail from new senders", "only be asked once", "screens email", "screen email",
  "complete delivery", "protected against unsolicited", "protected against spam", "tick the box",
  "mittenti verificati", "programma automatico", "conferma il tuo", "confermi di",
  "expéditeurs vérifiés", "verifizierte absender",
  "prove you're a person", "prove you are a person", "prove you're human",
  "haven't seen mail from you", "have not seen mail from you", "release it",
  "prouver que vous êtes", "que vous êtes un humain", "dat u een mens bent", "bevestig eenmalig",
  "is tegengehouden",
};

static const char *const challenge_headers[] = {
  "X-Boxbe-Verification", "X-Spam-Arrest", "X-Challenge", "X-TMDA-Confirm",
  "X-ChoiceMail-Registration-Request", "X-Mailblocks", "X-Bluebottle-Request",
  "X-Boxbe-Magic",
};

/* The shape of a challenge in any wording (gather_evidence()): a link, the
 * sender's message, and a word about holding / delivering it. */
static const char *const challenge_message_words[] = {
  "your message", "your email", "your e-mail", "your mail", "ihre nachricht", "ihre e-mail",
  "votre message", "votre e-mail", "votre courriel", "su mensaje", "su correo", "il suo messaggio",
  "il tuo messaggio", "uw bericht", "uw e-mail", "sua mensagem", "ditt meddelande",
  /* added after h6: more languages */
  "twoja wiadomość", "pana wiadomość", "ваше письмо", "ваше сообщение", "mesajınız",
  "お送りいただいたメール", "送信されたメール", "您的邮件", "귀하의 메일", "din besked",
  "viestisi", "mensagem", "seu e-mail",
  /* added after h9 */
  "vaše zpráva", "vaši zprávu", "vaša správa", "üzenete", "üzenetét", "μήνυμά σας" /* (lower-cased as ASCII: no capitals) */,
  "vaše sporočilo", "vaša poruka", "vaše poruka", "mesajul dumneavoastră", "jūsų laiškas",
};

static const char *const challenge_hold_words[] = {
  "deliver", "release", "pending", "held", "on hold", "waiting", "zustell", "freigeb",
  "zurückgehalten", "en attente", "remis", "livré", "afgeleverd", "tegengehouden",
  "recapit", "consegn", "entreg", "retenid", "in attesa",
  /* added after h6 */
  "dostarcz", "weryfikac", "czeka", "задержан", "достав", "bekle", "teslim", "保留", "配信",
  "暂存", "投递", "보류", "levere", "odotta", "toimit",
  /* added after h9: Czech/Slovak, Hungarian, Greek, Slovenian/Croatian; approval */
  "čeká", "doruč", "várakoz", "kézbesít", "κρατείται", "αναμονή", "παραδο", "dostav",
  "approv", "parked", "set aside", "sets aside",
};

/* Not a challenge: a confirmation of a sign-up the user asked for. */
static const char *const challenge_not_markers[] = {
  "subscribe", "subscription", "sign up", "signed up", "signup", "newsletter",
  "mailing list", "abonnement", "anmeldung", "inscription", "suscripción", "iscrizione",
};

/* Anti-virus notices. */
static const char *const virus_subjects[] = {
  "virus", "infected", "malware", "banned content", "banned file", "banned attachment",
  "quarantine", "antivirus", "anti-virus", "blocked attachment", "attachment blocked",
  "mailscanner", "security alert", "content filter", "dangerous attachment",
  "[amavis]", "worm", "trojan", "viren", "virenwarnung", "virus gefunden", "threat detected",
  "troj/", "troj_", "w32/", "w32.", "eicar", "ransomware",
  "threat found", "malicious",
  /* added after h6 */
  "zagrożenie", "wirus", "amenaza", "minaccia", "bedreiging", "bedrohung", "ameaça",
  "угроза", "вирус", "ウイルス", "病毒", "바이러스", "quarantaine", "cuarentena", "quarantena",
};

static const char *const virus_body_markers[] = {
  "contained a virus", "contains a virus", "containing a virus", "virus was found",
  "virus found", "virus detected", "viruses detected", "infected with", "is infected",
  "was infected", "has been quarantined", "was quarantined", "been quarantined",
  "malware", "banned file", "banned attachment", "banned contents", "dangerous content",
  "found to contain", "virus scanner", "virusscanner", "anti-virus", "antivirus",
  "mailscanner", "amavis", "clamav", "trojan", "worm.", "w32/", "w32.", "security risk",
  "virus scan", "virus detector", "virus alert", "troj_", "eicar", "heuristics.",
  "found a virus", "detected a threat", "infected object", "threat:", "troj/", "virus:",
  /* German, French, Spanish, Italian, Dutch */
  "virus gefunden", "virus entdeckt", "virus erkannt", "viren gefunden", "infiziert", "schadsoftware",
  "virus détecté", "virus a été détecté", "contenait un virus", "infecté", "virus detectado",
  "contenía un virus", "infectado", "virus rilevato", "conteneva un virus", "infetto",
  "virus gevonden", "geïnfecteerd",
  /* added after h6: "threat" and "quarantine" in more languages */
  "zagrożenie", "wykryto wirus", "amenaza", "minaccia", "bedreiging", "menace détectée",
  "bedrohung", "ameaça", "amenintare", "угроза", "hrozba", "tehdit", "quarantaine",
  "quarantena", "cuarentena", "quarantäne", "kwarantann", "carantin", "karantén", "karantene",
  "karanteeni", "карантин", "隔離", "隔离", "ウイルス", "病毒", "바이러스", "wirus", "вирус",
  /* added after h9: verdicts without the word "virus" */
  "malicious content", "malicious attachment", "malicious file", "verdict: malicious",
};

/* A virus notice speaks of a message. */
static const char *const virus_context_markers[] = {
  "your message", "message you sent", "you sent", "from you", "sent by you", "the message",
  "your e-mail", "your email", "the e-mail", "the email", "mail from", "attachment",
  "has not been delivered", "was not delivered", "not delivered", "a message addressed",
  "was blocked because", "a message to", "a message from",
  "ihre nachricht", "ihrer nachricht", "von ihnen gesendet", "nicht zugestellt",
  "votre message", "vous avez envoyé", "non remis", "su mensaje", "usted envió", "no entregado",
  "il suo messaggio", "uw bericht",
  /* added after h9 */
  "a sua mensagem", "sua mensagem", "ihre nachricht an", "mensaje enviado", "message from",
};

static const char *const virus_local_parts[] = {
  "virusalert", "virus-alert", "antivirus", "anti-virus", "amavis", "virus",
  "virusscan", "mailscanner", "av", "avscan", "quarantine", "mailsweeper",
  "scanmail", "interscan", "mailguard", "imss", "virusalert", "virus-scanner",
  "virenschutz", "virenscanner", "virenwarnung", "antivir",
};

static const char *const virus_display_names[] = {
  "interscan", "mailscanner", "antivirus", "anti-virus", "virus", "content-filter",
  "content filter", "mail security", "email security", "mailsweeper", "scanmail",
  "kaspersky", "sophos", "puremessage", "symantec", "trend micro", "eset", "clamav",
  "f-secure", "bitdefender", "avast", "avira", "panda", "mcafee",
  /* added after h9: gateways */
  "proofpoint", "barracuda", "fortimail", "mimecast", "cisco email security", "messaging gateway",
  "email protection", "mail shield", "gravityzone",
  "virenschutz", "virenscanner", "antivirus",
};

/* Forwarding by a person, in the text. */
static const char *const forward_markers[] = {
  "forwarded message", "begin forwarded message", "weitergeleitete nachricht",
  "message transféré", "mensaje reenviado", "messaggio inoltrato", "doorgestuurd bericht",
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

/* Human mail: subject prefixes of forwards and replies. */
static const char *const human_subject_prefixes[] = {
  "fwd:", "fw:", "fwd ", "[fwd:", "wg:", "tr:", "rv:", "i:", "doorst:", "vs:", "vb:",
  "enc:", "pd:", "fs:", "npr:", "re:", "aw:", "sv:", "antw:", "ref:", "odp:", "réf:",
  "res:", "r:", "ynt:",
};

/* Header fields that only mail user agents set. */
static const char *const human_headers[] = {
  "User-Agent", "X-Mozilla-Draft-Info", "X-Mozilla-Status", "X-Apple-Base-Url",
  "X-Apple-Mail-Remote-Attachments", "X-Uniform-Type-Identifier", "X-Universally-Unique-Identifier",
  "X-Smtp-Server", "X-Mailer-Version", "X-Face", "Face",
};

/* Mailing-list headers (RFC 2369, RFC 2919). */
static const char *const list_headers[] = {
  "List-Id", "List-Post", "List-Unsubscribe", "Mailing-List", "X-Mailing-List",
  "X-BeenThere",
};

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
};

#endif

/* ---- structural signals added after the h6 probe set ---- */

/* Challenge-response software marks its requests with its own header
 * fields: lower-case prefixes of the field NAME (any value). */
static const char *const challenge_header_prefixes[] = {
  "x-boxbe", "x-choicemail", "x-spamarrest", "x-spam-arrest", "x-tmda", "x-mailblocks",
  "x-bluebottle", "x-qurb", "x-askversion", "x-ask-info", "x-sendio", "x-challenge",
  "x-cr-challenge", "x-mailguard-challenge",
};

/* ... or names itself in a generic field (value substring, lower case). */
static const struct { const char *name; const char *value; } challenge_header_values[] = {
  { "X-Delivery-Agent", "tmda" },
  { "X-Mailer", "tmda" },
  { "X-Mailer", "choicemail" },
  { "X-Mailer", "spam arrest" },
  { "X-Mailer", "active spam killer" },
  { "User-Agent", "tmda" },
};

/* A link in an automatic answer whose URL asks to confirm / release. */
static const char *const challenge_url_words[] = {
  "confirm", "verif", "validat", "release", "approve", "captcha", "challenge", "whitelist",
  "authoriz", "authoris",
  /* added after h9: the same words in other languages' URLs */
  "overen", "overi", "jovahagy", "megerosit", "bestaetig", "bestatig", "conferm", "potwierdz",
  "podtverd", "freigabe", "bevestig", "onay", "vahvist",
};

/* The local part of a Reply-To that confirms by answering (TMDA "-confirm-"). */
static const char *const challenge_reply_to_words[] = {
  "confirm", "verify", "challenge",
};

/* "Answer this message (to have yours delivered)" in an automatic answer
 * to someone else's message. */
static const char *const challenge_reply_instructions[] = {
  "reply to this message", "reply to this email", "reply to this e-mail", "simply reply",
  "just reply", "answering this note", "answer this message", "reply to this note",
  "antworten sie auf diese", "antworten sie einfach", "répondez à ce message",
  "répondez simplement", "responda a este mensaje", "responda a esta mensagem",
  "rispondi a questo messaggio", "risponda a questo messaggio", "beantwoord dit bericht",
  "svara på detta", "svar på denne", "odpowiedz na tę wiadomość", "ответьте на это письмо",
  "このメールに返信",
};

/* Malware names, by the shapes the engines give them (lower case):
 * "W32/Emotet.AB!tr", "HTML/Phishing.Gen", "Trojan:Win32/Wacatac.B" ... */
static const char *const malware_platforms[] = {
  "w32/", "w64/", "win32/", "win64/", "js/", "vbs/", "vba/", "html/", "pdf/", "x97m/",
  "w97m/", "o97m/", "troj/", "mal/", "exp/", "php/", "java/", "linux/", "msil/", "andr/",
  "android/", "osx/", "macos/", "bat/", "swf/", "trojan:", "trojandownloader:", "backdoor:",
  "worm:", "ransom:", "exploit:", "trojanspy:", "pws:", "hacktool:",
  /* Trend Micro "TROJ_NAME.VAR", "BKDR_..." */
  "troj_", "tspy_", "worm_", "bkdr_", "pe_", "tsc_", "js_", "vbs_", "html_", "x97m_", "w97m_",
  "o97m_", "ransom_", "pak_",
  /* added after h9: Avast/AVG "Win32:Trojan-gen", "JS:ScriptDl-inf [Trj]",
   * Kaspersky "UDS:DangerousObject.Multi.Generic", Panda "Trj/GdSda.A",
   * Avira "TR/Dropper.Gen", Fortinet "MSOffice/Agent.ABC!tr" */
  "win32:", "win64:", "js:", "vbs:", "vba:", "html:", "pdf:", "lnk:", "msil:", "macos:", "elf:",
  "bat:", "other:", "script:", "uds:", "not-a-virus:", "trj/", "bck/", "tr/", "heur/", "spr/",
  "bds/", "drp/", "msoffice/", "msexcel/", "msword/", "lnk/", "powershell/", "xml/", "autoit/",
};

/* ... "Trojan.GenericKD.4711", "Worm.Mydoom-3" ... */
static const char *const malware_types[] = {
  "trojan.", "trojan-", "worm.", "backdoor.", "exploit.", "ransom.", "riskware.", "adware.",
  "spyware.", "downloader.", "dropper.", "phishing.", "gen:variant", "heur.", "heur:",
  "heuristics.", "pua.", "virus.", "hacktool.", "generic.malware", "eicar-test",
  "eicar_test",
  /* McAfee "Exploit-PDF.b!mem", "Artemis!0A1B2C", "Downloader-FYH!..." */
  "exploit-", "downloader-", "backdoor-", "pws-", "artemis!", "generic!", "rdn/",
};

/* Symantec's Office-macro and heuristic names need no variant mark
 * ("W97M.Downloader", "Bloodhound.W97M.8"): these prefixes are names on
 * their own (added after h9). */
static const char *const malware_bare_prefixes[] = {
  "w97m.", "x97m.", "o97m.", "w2km.", "xf.", "bloodhound.",
};

/* ... and ClamAV's "Platform.Category.Name-NNN" ("Win.Trojan.Agent-1234"). */
static const char *const malware_clamav_platforms[] = {
  "win.", "doc.", "xls.", "html.", "js.", "pdf.", "unix.", "andr.", "osx.", "email.", "java.",
  "multios.", "rtf.", "txt.", "img.", "php.", "swf.", "vbs.", "xml.", "archive.", "ole2.",
};

static const char *const malware_clamav_categories[] = {
  "trojan.", "dropper.", "downloader.", "exploit.", "malware.", "worm.", "virus.",
  "ransomware.", "phishing.", "coinminer.", "packed.", "keylogger.", "spyware.", "adware.",
  "backdoor.", "macro.", "tool.", "test.", "infostealer.", "exploitkit.",
};

/* A header field about a scan (name contains "virus") whose value says the
 * message was caught ("X-Virus-Status: Infected", "X-Corp-AntiVirus: blocked");
 * values with a "clean" word are ignored. */
static const char *const virus_header_verdicts[] = {
  "infected", "blocked", "quarantin", "virus found",
};

static const char *const virus_header_clean[] = {
  "clean", "uninfected", "not ", "no virus", "none",
};

/* Exchange inbox rules mark the mail they send; an answer whose subject is
 * "<prefix> <Thread-Topic>" with a prefix that is no reply/forward is an
 * automatic reply in whatever language. */
static const char *const exchange_rule_headers[] = {
  "X-MS-Exchange-Inbox-Rules-Loop",
};

/* File-name extensions: "js/app-2.min.js" is a path, not a malware name. */
static const char *const file_extensions[] = {
  "js", "mjs", "html", "htm", "css", "php", "json", "txt", "png", "jpg", "jpeg", "gif", "svg",
  "xml", "md", "c", "h", "py", "java", "class", "map", "ts", "pdf", "zip", "gz", "tar", "log",
  "csv", "yml", "yaml", "sh", "rb", "go", "rs", "exe", "dll", "doc", "docx", "xls", "xlsx",
};

/* ---- added after the h8 probe set ---- */

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

/* List software refusing a post from a non-member (fml's "You ... are not
 * member", Mailman's and Sympa's non-member rejections): with list headers
 * this is a notice about our message, not list mail (issue 9). Lower case. */
static const char *const list_refusal_words[] = {
  "not a member of this", "are not member", "non-member post", "not subscribed to this list",
  "only members may post", "not allowed to post to",
};
