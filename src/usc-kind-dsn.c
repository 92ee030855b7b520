/* usc-kind-dsn.c — non-delivery and delay reports (RFC 3464 and the text
 * notices of every MTA): the score of a DSN, one rule per sign, the weights
 * in one table; and what --explain says when it wins.
 *
 * The evidence is gathered in usc-bounce-evidence.c (the report parts, the
 * sender, the MTAs' wording from dsn_body_markers); the pick among the
 * kinds is usc_decide_kind() there.
 */
#include "config.h"
#include "usc-bounce-private.h"

static const struct {
  int report;            /* a parsed delivery-status part (or SES JSON) */
  int report_type;       /* ... or only multipart/report; report-type=delivery-status */
  int x_failed;          /* X-Failed-Recipients (Exim) */
  int null_sender;
  int daemon_local;      /* MAILER-DAEMON, postmaster, ... */
  int daemon_name;       /* "Mail Delivery System" */
  int weak_local;        /* "mailer", "bounce", "noreply", ... */
  int subject;           /* dsn_subjects */
  int strong;            /* the first strong body marker ... */
  int strong_more_max;   /* ... and one more for each further one, at most this many */
  int weak_max;          /* weak markers count one each, at most this many ... */
  int weak_many_at;      /* ... and one more from this many on */
  int header_copy;       /* text/rfc822-headers: only reports return header blocks */
  int returned_daemon;   /* a returned copy, from a daemon */
  int returned;          /* a returned copy, once the score has ... */
  int returned_min;      /* ... at least this much */
  int auto_generated;    /* Auto-Submitted, not auto-replied */
  int forwarded_bounce;  /* a bounce returned inside this one, by software */
  int mdn_failure;       /* an RFC 8098 disposition saying "not delivered" (a Sieve reject) */
  int lang;              /* failure / delay wording of src/lang (no MTA marker found) ... */
  int lang_more;         /* ... and one more for a second phrase */
  int odd_sender;        /* a From with no usable address, not already a daemon's */
  int own_copy;          /* it quotes a message of this mailbox (with other signs of a notice) */
  int list_refusal;      /* list software refusing a post (list headers and list_refusal_words) */
  int smtp_code;         /* an SMTP reply with an enhanced status code in a notice's text, no report */
  int own_copy_bare;     /* our message quoted by a daemon or the null sender, no wording in any table */
} W = {
  .report = 10, .report_type = 5, .x_failed = 5, .null_sender = 2, .daemon_local = 4,
  .daemon_name = 3, .weak_local = 1, .subject = 3, .strong = 5, .strong_more_max = 2,
  .weak_max = 2, .weak_many_at = 3, .header_copy = 3, .returned_daemon = 2, .returned = 1,
  .returned_min = 3, .auto_generated = 1, .forwarded_bounce = 5,
  .mdn_failure = 10, .lang = 4, .lang_more = 1, .odd_sender = 2, .own_copy = 2, .list_refusal = 9,
  .smtp_code = 2, .own_copy_bare = 3,
};

static int
report (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->report_dsn ? W.report : e->report_ct ? W.report_type : 0;
}
static int
x_failed (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->x_failed ? W.x_failed : 0;
}
static int
null_sender (const Headers *h, Evidence *e, int sofar)
{
  (void) e, (void) sofar;
  return h->null_sender ? W.null_sender : 0;
}
static int
daemon_sender (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->daemon_local ? W.daemon_local : e->daemon_name ? W.daemon_name : e->weak_local ? W.weak_local : 0;
}
static int
subject (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->subject_dsn ? W.subject : 0;
}
static int
wording (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  if (e->strong)
    return W.strong + MIN (e->strong - 1, W.strong_more_max);
  if (e->weak)
    return MIN (e->weak, W.weak_max) + (e->weak >= W.weak_many_at ? 1 : 0);
  return 0;
}
static int
returned_copy (const Headers *h, Evidence *e, int sofar)
{
  (void) h;
  if (e->header_copy)
    return W.header_copy;
  if (e->returned && (e->daemon_local || e->daemon_name))
    return W.returned_daemon;
  if (e->returned && sofar >= W.returned_min)
    return W.returned;
  return 0;
}
static int
auto_generated (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->auto_any && !e->auto_replied ? W.auto_generated : 0;
}
/* software passing on a bounce it received (an ESP's "forwarded bounce") */
static int
forwarded_bounce (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->returned_bounce && (e->auto_any || e->daemon || e->weak_local) ? W.forwarded_bounce : 0;
}
static int
mdn_failure (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->mdn_failure ? W.mdn_failure : 0;
}
/* sent as notices are: the null sender, a daemon's address or name, a From
 * with no usable address, X-Failed-Recipients (not Auto-Submitted alone:
 * notifications of every kind carry it); or, whoever passed it on (a list,
 * a forwarding alias), it returns a copy of a message of this mailbox and
 * shows no sign of a person: what it is about stands for who sent it */
static gboolean
notice_source (const Headers *h, const Evidence *e)
{
  /* a weak daemon-like local part (root, noreply, mailer) sends reports
   * and newsletters too: it counts when the text is about a message (a
   * copy, our Message-ID, a report) */
  gboolean refers = e->own_copy || e->returned || e->report_dsn || e->header_copy;
  if (h->null_sender || e->daemon || e->odd_sender || e->x_failed || (e->weak_local && refers))
    return TRUE;
  return e->own_copy && e->returned && e->human == 0;
}
/* the notice's wording in some language (src/lang/failure.def, delay.def),
 * when no MTA's own wording was found */
static int
lang_wording (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  int n = e->lang_fail + e->lang_delay;
  if (e->strong || n == 0 || !notice_source (h, e))
    return 0;
  return W.lang + (n > 1 ? W.lang_more : 0);
}
/* small and old servers: "Mail System" <>, an empty From, <"Admin"@host> */
static int
odd_sender_rule (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->odd_sender && !e->daemon_local && !e->daemon_name ? W.odd_sender : 0;
}
/* it is about a message of ours: a "From:" line with this mailbox's address
 * or a Message-ID of its domain, in a text that already reads like a notice */
static int
own_copy (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  gboolean wording = e->strong || e->weak || e->lang_fail || e->lang_delay;
  return e->own_copy && wording && notice_source (h, e) ? W.own_copy : 0;
}
/* the same without any wording a table knows: a mail daemon or the null
 * sender quoting a message of this mailbox (its "From:" line, a Message-ID
 * of its domain), answering nothing, with no sign of a person — a notice
 * in a language no table has (Swahili, Maltese, Uzbek ...). An
 * auto-reply answers a message (In-Reply-To); a daemon does not. */
static int
own_copy_bare (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  gboolean wording = e->strong || e->weak || e->lang_fail || e->lang_delay;
  gboolean daemon = h->null_sender || e->daemon_local || e->daemon_name;
  return e->own_copy && !wording && daemon && !e->in_reply && e->human == 0 ? W.own_copy_bare : 0;
}
/* a server's diagnostic ("451 4.7.1 greylisted", "550 5.1.1 ...") in the
 * text of a notice, in whatever language the rest is (a report has its
 * Status fields already) */
static int
smtp_code (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return e->smtp_code && !e->report_dsn && notice_source (h, e) ? W.smtp_code : 0;
}
/* the list's own notice that it refused our post: mailing-list headers
 * count against a message only when it is no notice */
static int
list_refusal (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->list_refusal ? W.list_refusal : 0;
}
static int
person (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return -e->human;
}
/* In order: returned_copy reads the score so far. */
static const UscScoreRule rules[] = {
  { "a delivery-status report", report },
  { "a disposition notification saying \"not delivered\" (RFC 8098)", mdn_failure },
  { "the null sender, an odd From", odd_sender_rule },
  { "X-Failed-Recipients", x_failed },
  { "the null sender", null_sender },
  { "a mail daemon's address or name", daemon_sender },
  { "a non-delivery subject", subject },
  { "non-delivery wording (dsn_body_markers)", wording },
  { "failure or delay wording in some language (src/lang)", lang_wording },
  { "a quoted message of this mailbox", own_copy },
  { "a quoted message of this mailbox, from a daemon, no wording known", own_copy_bare },
  { "an SMTP reply with an enhanced status code", smtp_code },
  { "list software refusing a post", list_refusal },
  { "a returned copy or header block", returned_copy },
  { "Auto-Submitted: auto-generated", auto_generated },
  { "a bounce passed on by software", forwarded_bounce },
  { "the signs of a person", person },
};

int
usc_kind_dsn_score (const Headers *h, Evidence *e)
{
  return usc_score_rules (h, e, rules, N (rules));
}
void
usc_kind_dsn_explain (const Headers *h, const Evidence *e, UscBounce *b)
{
  if (e->first_marker)
    usc_bounce_note (b, "non-delivery wording: \"%s\"", e->first_marker);
  else if (e->lang_hit)
    usc_bounce_note (b, "non-delivery wording: \"%s\"", e->lang_hit);
  if (e->subject_dsn)
    usc_bounce_note (b, "subject: \"%s\"", e->subject_hit);
  if (e->daemon_local || e->daemon_name)
    usc_bounce_note (b, "sent by a mail daemon (%s)", h->from_addr ? h->from_addr : e->daemon_hit);
  if (h->null_sender)
    usc_bounce_note (b, "null envelope sender");
  if (e->x_failed)
    usc_bounce_note (b, "X-Failed-Recipients header");
}
