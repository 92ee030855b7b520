/* usc-kind-feedback.c — abuse and feedback-loop reports: RFC 5965 (ARF)
 * reports, and the Hotmail/Outlook.com JMRP complaint that is no ARF report
 * but returns the complained-about message. The score (one rule per sign,
 * the weights in one table) and what --explain says.
 *
 * Whom the reported message went to is read in usc-bounce-rcpt.c
 * (usc_collect_feedback_recipients); the report part itself is found by
 * the MIME walk (Parts.feedback_part, Parts.feedback_text).
 */
#include "config.h"
#include "usc-bounce-private.h"

static const struct {
  int report;     /* multipart/report; report-type=feedback-report, or a message/feedback-report part */
  int complaint;  /* "complaint about message from ..." with the message returned */
} W = { .report = 1, .complaint = 1 };

static int
arf_report (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->report_arf ? W.report : 0;
}
static int
fbl_complaint (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  e->hotmail_fbl = strstr (h->subject_lc, "complaint about message from") && e->returned_parts > 0;
  return e->hotmail_fbl ? W.complaint : 0;
}
static const UscScoreRule rules[] = {
  { "an RFC 5965 feedback report", arf_report },
  { "a feedback-loop complaint with the message attached", fbl_complaint },
};

int
usc_kind_feedback_score (const Headers *h, Evidence *e)
{
  return usc_score_rules (h, e, rules, N (rules));
}
void
usc_kind_feedback_explain (const Headers *h, const Evidence *e, UscBounce *b)
{
  (void) h;
  usc_bounce_note (b, e->report_arf ? "RFC 5965 feedback report" : "feedback-loop complaint with the message attached");
}
