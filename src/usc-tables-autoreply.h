/* usc-tables-autoreply.h — the signs of an auto-reply (RFC 3834, out-of-office, Exchange rules).
 *
 * Subjects (prefixes, stems, tokens, phrases), body wording and header
 * fields; read by src/usc-kind-autoreply.c and src/usc-screen.c.
 *
 * One of the bounce analysis's tables, included through usc-bounce-tables.h
 * (its conventions apply). Keep each table's order: where the first match
 * wins, order is meaning.
 */
#ifndef USC_TABLES_AUTOREPLY_H
#define USC_TABLES_AUTOREPLY_H

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

/* Exchange inbox rules mark the mail they send; an answer whose subject is
 * "<prefix> <Thread-Topic>" with a prefix that is no reply/forward is an
 * automatic reply in whatever language. */
static const char *const exchange_rule_headers[] = {
  "X-MS-Exchange-Inbox-Rules-Loop",
};

#endif
