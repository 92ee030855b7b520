/* usc-kind-challenge.c — challenge-response requests: a confirmation link or a
 * Reply-To to answer, a Message-ID in the text; the score (one rule per
 * sign, the weights in one table) and what --explain says.
 */
#include "config.h"
#include "usc-bounce-private.h"

/* Does the text hold a <msg-id> (a notice naming the message it is about)? */
gboolean
usc_text_has_msgid (const char *s)
{
  int tries = 0;
  for (const char *p = strchr (s, '<'); p && tries < 200; p = strchr (p + 1, '<'), tries++) {
    char *id = usc_msgid_in (p, TRUE);
    if (id) {
      g_free (id);
      return TRUE;
    }
  }
  return FALSE;
}
/* A link whose URL asks to confirm / verify / release. */
gboolean
usc_confirm_link (const char *s)
{
  int tries = 0;
  for (const char *p = strstr (s, "http"); p && tries < 100; p = strstr (p + 4, "http"), tries++) {
    if (!g_str_has_prefix (p, "http://") && !g_str_has_prefix (p, "https://"))
      continue;
    const char *e = p;
    while (*e && !g_ascii_isspace (*e) && *e != '"' && *e != '>' && *e != '<')
      e++;
    char *url = g_strndup (p, e - p);
    gboolean r = usc_contains_any (url, challenge_url_words, N (challenge_url_words), NULL);
    g_free (url);
    if (r)
      return TRUE;
  }
  return FALSE;
}
/* A Reply-To (other than From) whose local part confirms by answering. */
gboolean
usc_confirm_reply_to (const Headers *h)
{
  InternetAddressList *l = g_mime_message_get_reply_to (h->mime);
  char *addr = NULL, *name = NULL;
  usc_first_mailbox (l, &addr, &name);
  gboolean r = FALSE;
  if (addr && (!h->from_addr || g_ascii_strcasecmp (addr, h->from_addr) != 0)) {
    const char *at = strchr (addr, '@');
    char *local = g_ascii_strdown (addr, at ? at - addr : -1);
    r = usc_contains_any (local, challenge_reply_to_words, N (challenge_reply_to_words), NULL);
    g_free (local);
  }
  g_free (addr);
  g_free (name);
  return r;
}

/* ---- the score ---- */

static const struct {
  int software;           /* challenge-response software names itself in a header */
  int software_answers;   /* ... and it answers a message or offers a link */
  int subject;            /* challenge_subjects */
  int body;               /* the first challenge_body_markers ... */
  int body_more_max;      /* ... and one more for each further one, at most this many */
  int automatic;          /* Auto-Submitted or the null sender */
  int confirm_link;       /* a link whose URL confirms / verifies / releases */
  int confirm_reply_to;   /* a TMDA-style "-confirm-" Reply-To */
  int reply_instructions; /* "reply to this message", answering another domain's message */
  int shape;              /* a link, the sender's message, and a word about holding it */
  int signup;             /* (negative) a sign-up confirmation answers no message */
  int lang;               /* src/lang/challenge.def wording in an automatic message (no marker found) */
  int lang_shape;         /* the request (confirm.def), a link or reply instructions, a held message */
  int lang_subject;       /* src/lang/challenge.def wording in an automatic message's subject */
  int report_hold;        /* a report of a held message (X.7.X, no diagnostic) from no mail daemon */
} W = {
  .software = 6, .software_answers = 2, .subject = 4, .body = 3, .body_more_max = 3,
  .automatic = 1, .confirm_link = 3, .confirm_reply_to = 4, .reply_instructions = 3,
  .shape = 4, .signup = -6, .lang = 3, .lang_shape = 7, .lang_subject = 3,
  .report_hold = 7,
};

static gboolean
has_link (const Evidence *e)
{
  return usc_text_find (e, "http://") || usc_text_find (e, "https://");
}
/* machine-made: Auto-Submitted, the null sender, or the software's header */
static gboolean
automatic (const Headers *h, const Evidence *e)
{
  return e->auto_any || h->null_sender || e->chal_sw;
}
/* the words of a sign-up confirmation (double opt-in), in the text or the subject */
static gboolean
signup (const Headers *h, const Evidence *e)
{
  return usc_text_any (e, USC_TT_CHALLENGE_NOT, NULL) ||
         usc_contains_any (h->subject_lc, challenge_not_markers, N (challenge_not_markers), NULL);
}
static int
software (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  if (!e->chal_sw)
    return 0;
  /* ... and it answers a message or offers the way to release it */
  return W.software + (e->in_reply || has_link (e) ? W.software_answers : 0);
}
static int
subject (const Headers *h, Evidence *e, int sofar)
{
  (void) e, (void) sofar;
  return usc_contains_any (h->subject_lc, challenge_subjects, N (challenge_subjects), NULL) ? W.subject : 0;
}
static int
body (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  int cb = usc_text_count (e, USC_TT_CHALLENGE_BODY);
  return cb ? W.body + MIN (cb - 1, W.body_more_max) : 0;
}
/* the request in some language (src/lang/challenge.def), from a machine,
 * when the older wording table found nothing */
static int
lang_wording (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return e->lang_chal && automatic (h, e) && usc_text_count (e, USC_TT_CHALLENGE_BODY) == 0 ? W.lang : 0;
}
static int
auto_or_null (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return e->auto_any || h->null_sender ? W.automatic : 0;
}
/* (a sign-up confirmation's link explains itself: no bonus for it) */
static int
confirm_link (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return automatic (h, e) && !signup (h, e) && usc_confirm_link (e->scan_lc) ? W.confirm_link : 0;
}
/* TMDA-style "-confirm-" Reply-To: answering releases */
static int
confirm_reply_to (const Headers *h, Evidence *e, int sofar)
{
  (void) e, (void) sofar;
  return usc_confirm_reply_to (h) ? W.confirm_reply_to : 0;
}
static int
reply_instructions (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return automatic (h, e) && usc_foreign_reference (h) &&
         usc_contains_any (e->scan_lc, challenge_reply_instructions, N (challenge_reply_instructions), NULL)
         ? W.reply_instructions : 0;
}
/* the shape of a challenge in any wording: an automatic answer with a link,
 * speaking of the sender's message being held / to be delivered */
static int
shape (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return automatic (h, e) && has_link (e) && usc_text_any (e, USC_TT_CHALLENGE_MESSAGE, NULL) &&
         usc_text_any (e, USC_TT_CHALLENGE_HOLD, NULL) ? W.shape : 0;
}
/* the same shape in any language: an automatic message asking the sender
 * to confirm (src/lang/confirm.def: "confirm that you ...", "подтвердите,
 * что вы ..."), with a link or instructions to reply, and a word about the
 * held message (challenge_hold_words) */
static int
lang_shape (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  /* inside a delivery-status report the structure says the message is
   * held (Action: delayed / failed): no word about holding it is needed,
   * and a request to add oneself to the approved senders is one too */
  gboolean report = e->report_dsn || e->report_ct;
  gboolean request = e->lang_confirm || e->lang_chal ||
                     (report && usc_contains_any (e->scan_lc, challenge_report_requests, N (challenge_report_requests), NULL));
  if (!request || !automatic (h, e) || signup (h, e) || !(report || usc_text_any (e, USC_TT_CHALLENGE_HOLD, NULL)))
    return 0;
  gboolean answer = has_link (e) || e->lang_reply ||
                    usc_contains_any (e->scan_lc, challenge_reply_instructions, N (challenge_reply_instructions), NULL);
  return answer ? W.lang_shape : 0;
}
static int
lang_subject (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return e->lang_chal_subject && automatic (h, e) ? W.lang_subject : 0;
}
/* the structure of a challenge wrapped in a report, in any language: every
 * recipient's status of the policy class (X.7.X) and no Diagnostic-Code or
 * Remote-MTA (no server refused anything: a filter holds the message), sent
 * by no mail daemon (not MAILER-DAEMON or postmaster, no "Mail Delivery
 * System" name) under a subject that is no non-delivery subject, and no
 * MTA's non-delivery wording in the text (not "mailbox full"). A server's
 * policy reject names the server and quotes its reply; a challenge service
 * sends the report under its own name, asking something of the sender. */
static int
report_hold (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->report_hold && !e->daemon_local && !e->daemon_name && !e->subject_dsn && !e->strong && !e->weak &&
         !e->x_failed ? W.report_hold : 0;
}
/* ... but a sign-up confirmation (double opt-in) answers no message */
static int
signup_confirmation (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return signup (h, e) ? W.signup : 0;
}
static int
person (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return -e->human;
}
static const UscScoreRule rules[] = {
  { "challenge-response software's header", software },
  { "a challenge subject", subject },
  { "challenge wording (challenge_body_markers)", body },
  { "challenge wording in some language (src/lang)", lang_wording },
  { "Auto-Submitted or the null sender", auto_or_null },
  { "a confirmation link", confirm_link },
  { "a confirming Reply-To", confirm_reply_to },
  { "reply instructions to another domain's message", reply_instructions },
  { "a link, the sender's message, and holding it", shape },
  { "a request to confirm, a link or reply instructions, a held message (src/lang)", lang_shape },
  { "challenge wording in the subject (src/lang)", lang_subject },
  { "a report of a held message (X.7.X, no diagnostic) from no mail daemon", report_hold },
  { "a sign-up confirmation", signup_confirmation },
  { "the signs of a person", person },
};

int
usc_kind_challenge_score (const Headers *h, Evidence *e)
{
  return usc_score_rules (h, e, rules, N (rules));
}
void
usc_kind_challenge_explain (const Headers *h, const Evidence *e, UscBounce *b)
{
  (void) h, (void) e;
  usc_bounce_note (b, "challenge-response request");
}
