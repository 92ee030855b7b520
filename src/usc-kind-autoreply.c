/* usc-kind-autoreply.c — auto-replies (RFC 3834): Exchange rule replies, subject
 * stems ("Automatic reply: ..."); the score (one rule per sign, the weights
 * in one table) and what --explain says.
 */
#include "config.h"
#include "usc-bounce-private.h"
#include "usc-lang.h"

/* Exchange inbox rule answer: the loop header, and a subject made of an
 * unknown prefix and the Thread-Topic (the original subject). */
gboolean
usc_exchange_rule_reply (const Headers *h, GMimeObject *top)
{
  if (!usc_any_header (top, exchange_rule_headers, N (exchange_rule_headers)))
    return FALSE;
  const char *tt = usc_hdr (top, "Thread-Topic");
  if (tt == NULL || h->subject_lc == NULL)
    return FALSE;
  char *dec = g_mime_utils_header_decode_text (NULL, tt);
  char *topic = g_utf8_strdown (g_strstrip (dec), -1);
  g_free (dec);
  gsize sl = strlen (h->subject_lc), tl = strlen (topic);
  gboolean r = tl >= 3 && sl > tl + 1 && strcmp (h->subject_lc + sl - tl, topic) == 0 &&
               !usc_prefix_any (h->subject_lc, human_subject_prefixes, N (human_subject_prefixes), NULL);
  g_free (topic);
  return r;
}
/* "<prefix>: rest" whose prefix is one to three words, one of them with
 * the stem of "automatic" (autoreply_subject_stems): an automatic answer's
 * subject in a language the prefix table does not list. */
gboolean
usc_stem_subject_prefix (const char *subject_lc)
{
  const char *s = usc_skip_brackets (subject_lc);
  const char *colon = strchr (s, ':');
  const char *fw = strstr (s, "\xef\xbc\x9a");  /* a full-width colon */
  if (fw && (colon == NULL || fw < colon))
    colon = fw;
  if (colon == NULL || colon == s || colon - s > 48 || colon[1] == '\0')
    return FALSE;
  char *pre = g_strndup (s, colon - s);
  guint words = 1;
  for (const char *q = pre; *q; q++)
    if (*q == ' ' && q[1] && q[1] != ' ')
      words++;
  gboolean r = words <= 3 && usc_contains_any (pre, autoreply_subject_stems, N (autoreply_subject_stems), NULL) &&
               !usc_contains_any (pre, autoreply_stem_exclusions, N (autoreply_stem_exclusions), NULL);
  g_free (pre);
  return r;
}

/* ---- the score ---- */

static const struct {
  int auto_replied;     /* Auto-Submitted: auto-replied (RFC 3834) */
  int header;           /* one of autoreply_headers */
  int subject;          /* an auto-reply subject prefix or token */
  int rule_reply;       /* an Exchange inbox rule's answer */
  int subject_stem;     /* "<automatic ... in another language>: ..." */
  int subject_phrase;   /* "... is out of the office" */
  int subject_weak;     /* "Out of office ..." (people write it too) */
  int precedence_junk;  /* vacation(1) */
  int suppress;         /* X-Auto-Response-Suppress (Outlook/Exchange) */
  int body;             /* autoreply_body_markers */
  int in_reply;         /* In-Reply-To / References */
  int auto_generated;   /* Auto-Submitted, not auto-replied */
  int foreign_ref;      /* machine-made, answering another domain's message */
  int null_sender;
  int daemon_local;     /* (negative) MAILER-DAEMON speaks for no person */
  int mua;              /* (negative) a mail user agent's header */
  int list;             /* (negative) mailing-list headers */
  int mdn_receipt;      /* an RFC 8098 receipt (displayed, dispatched, processed) */
  int lang;             /* acknowledgement / absence wording of src/lang ... */
  int lang_more;        /* ... and one more for a second phrase */
  int marked;           /* Return-Path <> or Precedence bulk|junk|list on an answer, with such wording */
  int own_subject;      /* ... whose subject is its own, not "Re: ..." */
  int receipt_shape;    /* a machine-marked short answer to another domain's message under a subject of its own */
  int reference;        /* ... naming a reference number ("CU-2024-118842", "#VN-3391") */
} W = {
  .auto_replied = 6, .header = 6, .subject = 5, .rule_reply = 5, .subject_stem = 4,
  .subject_phrase = 3, .subject_weak = 3, .precedence_junk = 2, .suppress = 1, .body = 2,
  .in_reply = 1, .auto_generated = 2, .foreign_ref = 2, .null_sender = 1, .daemon_local = -3,
  .mua = -3, .list = -2, .mdn_receipt = 8, .lang = 2, .lang_more = 1, .marked = 2, .own_subject = 1,
  .receipt_shape = 3, .reference = 2,
};

static int
auto_replied (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->auto_replied ? W.auto_replied : 0;
}
static int
header (const Headers *h, Evidence *e, int sofar)
{
  (void) e, (void) sofar;
  GMimeObject *top = GMIME_OBJECT (h->mime);
  for (guint i = 0; i < N (autoreply_headers); i++)
    if (usc_header_has (top, autoreply_headers[i].name, autoreply_headers[i].value))
      return W.header;
  return 0;
}
static gboolean machine_marked (const Headers *h);
/* The subject, strongest shape first; keeps the words it matched in
 * e->autoreply_hit. */
static int
subject (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  GMimeObject *top = GMIME_OBJECT (h->mime);
  gboolean reply_subject = usc_prefix_any (h->subject_lc, human_subject_prefixes, N (human_subject_prefixes), NULL);
  if (usc_prefix_any (h->subject_lc, autoreply_subject_prefixes, N (autoreply_subject_prefixes), &e->autoreply_hit) ||
      usc_prefix_any (usc_skip_brackets (h->subject_lc), autoreply_subject_prefixes, N (autoreply_subject_prefixes),
                      &e->autoreply_hit))
    return W.subject;
  /* a token anywhere in the subject: an answer's mark when the message
   * answers one or is marked as a machine's, else a person's words about
   * auto-replies ("請問自動回覆怎麼設定？") */
  if (!reply_subject && usc_contains_any (h->subject_lc, autoreply_subject_tokens, N (autoreply_subject_tokens),
                                          &e->autoreply_hit))
    return e->in_reply || e->auto_any || machine_marked (h) || e->mdn_receipt ? W.subject : W.subject_weak;
  if (!reply_subject && usc_lang_subject_prefix (USC_LANG_AUTOREPLY_SUBJECT, h->subject_lc, &e->autoreply_hit))
    return W.subject;  /* src/lang/autoreply-subject.def */
  if (usc_exchange_rule_reply (h, top))
    return W.rule_reply;  /* "<prefix in any language>: <Thread-Topic>" from an inbox rule */
  if (!reply_subject && usc_stem_subject_prefix (h->subject_lc))
    return W.subject_stem;  /* "<automatic ... in another language>: ..." */
  if (usc_suffix_any (h->subject_lc, autoreply_subject_phrases, N (autoreply_subject_phrases), &e->autoreply_hit) &&
      !usc_prefix_any (h->subject_lc, human_subject_prefixes, N (human_subject_prefixes), NULL))
    return W.subject_phrase;
  if (usc_prefix_any (h->subject_lc, autoreply_subject_weak_prefixes, N (autoreply_subject_weak_prefixes),
                      &e->autoreply_hit))
    return W.subject_weak;
  return 0;
}
/* vacation(1) marks its answers "Precedence: junk" (bulk mail uses "bulk"
 * or "list"): a hint, not enough on its own */
static int
precedence_junk (const Headers *h, Evidence *e, int sofar)
{
  (void) e, (void) sofar;
  return usc_header_has (GMIME_OBJECT (h->mime), "Precedence", "junk") ? W.precedence_junk : 0;
}
/* Outlook/Exchange mark their automatic messages so (a hint only:
 * notifications carry it too) */
static int
suppress (const Headers *h, Evidence *e, int sofar)
{
  (void) e, (void) sofar;
  return usc_header_has (GMIME_OBJECT (h->mime), "X-Auto-Response-Suppress", "") ? W.suppress : 0;
}
static int
body (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return usc_text_any (e, USC_TT_AUTOREPLY_BODY, NULL) ? W.body : 0;
}
static int
in_reply (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->in_reply ? W.in_reply : 0;
}
static int
auto_generated (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->auto_any && !e->auto_replied ? W.auto_generated : 0;
}
/* machine-made and in reply to someone else's message: an automatic answer
 * (RFC 3834 section 3.1.5), not a notification in the sender's own threads
 * (ticket trackers refer to their own Message-IDs) */
static int
foreign_ref (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return e->auto_any && usc_foreign_reference (h) ? W.foreign_ref : 0;
}
static int
null_sender (const Headers *h, Evidence *e, int sofar)
{
  (void) e, (void) sofar;
  return h->null_sender ? W.null_sender : 0;
}
/* an auto-reply speaks for a person's mailbox, not for MAILER-DAEMON */
static int
daemon_local (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->daemon_local ? W.daemon_local : 0;
}
static int
mua (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->mua ? W.mua : 0;
}
static int
list (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->list ? W.list : 0;
}
/* the null sender, or Precedence bulk / junk / list */
static gboolean
machine_marked (const Headers *h)
{
  if (h->null_sender)
    return TRUE;
  const char *prec = usc_hdr (GMIME_OBJECT (h->mime), "Precedence");
  while (prec && (*prec == ' ' || *prec == '\t'))
    prec++;
  return prec && (g_ascii_strncasecmp (prec, "bulk", 4) == 0 || g_ascii_strncasecmp (prec, "junk", 4) == 0 ||
                  g_ascii_strncasecmp (prec, "list", 4) == 0);
}
static int
mdn_receipt (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->mdn_receipt ? W.mdn_receipt : 0;
}
/* "we have received your message", "I am on vacation", "this is an automatic
 * message" in some language, in a machine-marked answer to another domain's
 * message (a tracker in its own thread says "we will get back to you" too) */
static int
lang_wording (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  int n = e->lang_ack + e->lang_vac + (e->lang_auto ? 1 : 0);
  if (n == 0 || !usc_foreign_reference (h) || !(machine_marked (h) || e->auto_any))
    return 0;
  return W.lang + (n > 1 ? W.lang_more : 0);
}
/* an answer to another domain's message whose only machine marks are the
 * null sender or Precedence (bulk, junk, list — no list headers), and that
 * says what an automatic answer says */
static int
marked (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  if (e->list || !(e->lang_ack || e->lang_vac || e->lang_auto || usc_text_any (e, USC_TT_AUTOREPLY_BODY, NULL)))
    return 0;
  if (!machine_marked (h) || !usc_foreign_reference (h))
    return 0;
  /* a person's client answers "Re: <subject>" (or its prefix in the
   * reader's language); an answer with a subject of its own ("We have
   * received your message", "Talebiniz alındı") was written by software */
  gboolean reply_subject = h->subject_lc && (usc_prefix_any (h->subject_lc, human_subject_prefixes,
                                                             N (human_subject_prefixes), NULL) ||
                                             usc_lang_subject_prefix (USC_LANG_REPLY_PREFIX, h->subject_lc, NULL));
  return W.marked + (h->subject_lc && *h->subject_lc && !reply_subject ? W.own_subject : 0);
}
/* a subject of its own: not empty, no reply prefix ("Re:", "AW:", "Odp:"),
 * also after a ticket's tags ("[#5521] Re: ...") */
static gboolean
own_subject (const Headers *h)
{
  if (h->subject_lc == NULL || *h->subject_lc == '\0')
    return FALSE;
  const char *const subj[] = { h->subject_lc, usc_skip_tags (h->subject_lc) };
  for (guint i = 0; i < N (subj); i++)
    if (usc_prefix_any (subj[i], human_subject_prefixes, N (human_subject_prefixes), NULL) ||
        usc_lang_subject_prefix (USC_LANG_REPLY_PREFIX, subj[i], NULL))
      return FALSE;
  return TRUE;
}
/* In-Reply-To (or else References) names a message of this mailbox's
 * domain (usc_own_domain_id) */
static gboolean
answers_own (const Headers *h)
{
  GMimeObject *top = GMIME_OBJECT (h->mime);
  const char *v = usc_hdr (top, "In-Reply-To");
  if (v == NULL)
    v = usc_hdr (top, "References");
  char *id = v && h->mailbox ? usc_msgid_in (v, FALSE) : NULL;
  gboolean r = id && usc_own_domain_id (id, h->mailbox);
  g_free (id);
  return r;
}
#define RECEIPT_TEXT_MAX 1500
/* the shape of an acknowledgement in any language: an answer to a message
 * of this mailbox from another domain, whose only machine marks are the null sender or
 * Precedence (bulk, junk, list — no list headers, no mail user agent's
 * header), under a subject of its own (software names its receipt; a
 * person's client answers "Re: ..."), in a short text returning no copy */
static gboolean
receipt_shaped (const Headers *h, const Evidence *e)
{
  return machine_marked (h) && !e->list && !e->mua && !e->returned && usc_foreign_reference (h) &&
         answers_own (h) && own_subject (h) && strlen (e->scan_lc) <= RECEIPT_TEXT_MAX &&
         usc_text_count (e, USC_TT_FORWARD) == 0;
}
static int
receipt_shape (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return receipt_shaped (h, e) ? W.receipt_shape : 0;
}
/* ... naming the number the request was registered under, in the subject
 * or the text (a ticket desk's, a registry's) */
static int
reference (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  if (!receipt_shaped (h, e))
    return 0;
  return usc_reference_token (h->subject_lc, strlen (h->subject_lc)) ||
         usc_reference_token (e->scan_lc, strlen (e->scan_lc)) ? W.reference : 0;
}
static const UscScoreRule rules[] = {
  { "a disposition notification (RFC 8098 receipt)", mdn_receipt },
  { "acknowledgement or absence wording in some language (src/lang)", lang_wording },
  { "the null sender or Precedence on an answer", marked },
  { "a machine-marked short answer under a subject of its own", receipt_shape },
  { "... naming a reference number", reference },
  { "Auto-Submitted: auto-replied", auto_replied },
  { "an auto-reply header (autoreply_headers)", header },
  { "an auto-reply subject", subject },
  { "Precedence: junk", precedence_junk },
  { "X-Auto-Response-Suppress", suppress },
  { "auto-reply wording (autoreply_body_markers)", body },
  { "In-Reply-To / References", in_reply },
  { "Auto-Submitted: auto-generated", auto_generated },
  { "machine-made, answering another domain's message", foreign_ref },
  { "the null sender", null_sender },
  { "a mail daemon's address", daemon_local },
  { "a mail user agent's header", mua },
  { "mailing-list headers", list },
};

int
usc_kind_autoreply_score (const Headers *h, Evidence *e)
{
  return usc_score_rules (h, e, rules, N (rules));
}
void
usc_kind_autoreply_explain (const Headers *h, const Evidence *e, UscBounce *b)
{
  (void) h;
  if (e->auto_replied)
    usc_bounce_note (b, "Auto-Submitted: auto-replied (RFC 3834)");
  if (e->autoreply_hit)
    usc_bounce_note (b, "auto-reply subject: \"%s\"", e->autoreply_hit);
}
