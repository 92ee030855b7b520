/* usc-tables-challenge.h — the signs of a challenge-response request.
 *
 * Subjects, body wording, the software's own header fields, the shape of a
 * challenge in any wording (a link, a hold, an instruction to answer) and
 * what is not one; read by src/usc-kind-challenge.c,
 * src/usc-bounce-evidence.c and src/usc-screen.c.
 *
 * One of the bounce analysis's tables, included through usc-bounce-tables.h
 * (its conventions apply). Keep each table's order: where the first match
 * wins, order is meaning.
 */
#ifndef USC_TABLES_CHALLENGE_H
#define USC_TABLES_CHALLENGE_H

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

/* The shape of a challenge in any wording (usc_gather_evidence()): a link, the
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
  /* added after h12: Croatian, Vietnamese, Persian, Hindi "held" / "delivered" */
  "isporuč", "zadržan", "giữ lại", "نگه داشته", "रोक लिया",
};

/* Inside a delivery-status report (the message is held by structure): the
 * sender asked to put himself on the approved list (Boxbe-like guest and
 * waiting lists), a request as good as "confirm" (usc-kind-challenge.c,
 * lang_shape). */
static const char *const challenge_report_requests[] = {
  "add yourself", "add your address", "add your email address", "put yourself on",
};

/* Not a challenge: a confirmation of a sign-up the user asked for. */
static const char *const challenge_not_markers[] = {
  "subscribe", "subscription", "sign up", "signed up", "signup", "newsletter",
  "mailing list", "abonnement", "anmeldung", "inscription", "suscripción", "iscrizione",
};

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

#endif
