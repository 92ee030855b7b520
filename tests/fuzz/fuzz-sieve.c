/* fuzz-sieve.c — libFuzzer harness: unscatter-sieve's path from the message
 * to where it is stored (sieve-ext/libsieve/): the message read and
 * classified as in fuzz-classify.h, its view (usv_view_new: GMime's decoded
 * header fields, the synthetic X-Unscatter-* fields, the envelope), one
 * fixed script evaluated by libsieve IN this process (usv_run; the real
 * front end runs it in a child, usv-child.c, so a libsieve crash here is a
 * finding the child contains), and the plan (usv_plan_make).
 *
 * The script uses the tests whose parsers see the sender's bytes: header
 * :is/:contains/:matches, address :all/:domain/:localpart (libsieve's own
 * address parser on the message's From/To/Cc/Sender/Reply-To values),
 * envelope, exists, size. Asserted: the evaluation completes (DONE, no
 * parse error: the script is fixed), the plan stores the message somewhere
 * or discards it on the one rule that discards, every folder is one the
 * script names, and "Backscatter" is chosen exactly when the verdict is
 * backscatter: a message's own X-Unscatter-Verdict field (forged) is hidden
 * from the script.
 */
#include "fuzz-common.h"
#include <string.h>
#include "fuzz-classify.h"
#include "usc-classify.h"
#include "usv-view.h"
#include "usv-run.h"
#include "usv-plan.h"
#include <stddef.h>
#include <sieve2.h>

int FUZZ_ENTRY (sieve) (const uint8_t *data, size_t size);

static const char script[] =
  "require [\"fileinto\", \"envelope\"];\n"
  "if header :is \"X-Unscatter-Verdict\" \"backscatter\" { fileinto \"Backscatter\"; stop; }\n"
  "if exists \"X-Fuzz-Discard\" { discard; stop; }\n"
  "if address :domain :is [\"from\", \"to\", \"cc\", \"sender\", \"reply-to\"] \"example.org\" { fileinto \"Example\"; }\n"
  "if address :localpart :contains \"from\" [\"bounce\", \"mailer-daemon\"] { fileinto \"Daemon\"; }\n"
  "if address :all :matches [\"to\", \"resent-to\"] \"*@*.example.net\" { keep; }\n"
  "if header :matches \"subject\" [\"*Undeliver*\", \"*failure*\"] { fileinto \"Bounces\"; }\n"
  "if header :contains [\"received\", \"message-id\", \"references\", \"in-reply-to\"] [\"<\", \"@\"] { keep; }\n"
  "if envelope :is \"from\" \"\" { fileinto \"Null\"; }\n"
  "if envelope :all :contains \"to\" \"example\" { fileinto \"Envelope\"; }\n"
  "if size :over 100K { fileinto \"Big\"; }\n"
  "if header :is \"X-Unscatter-Kind\" [\"dsn\", \"autoreply\", \"challenge\", \"virus-notice\"] { fileinto \"Kind\"; }\n";

static const char *const folders[] = {
  "", "Backscatter", "Example", "Daemon", "Bounces", "Null", "Envelope", "Big", "Kind", NULL
};

int
FUZZ_ENTRY (sieve) (const uint8_t *data, size_t size)
{
  fuzz_init ();
  FuzzClassified c;
  if (!fuzz_classify (data, size, &c)) { /* unscatter-sieve stores such input unchanged, unrun */
    fuzz_classified_clear (&c);
    return 0;
  }
  UscResult r = { 0 };
  r.bounce = c.bounce;
  r.envelope = c.env;
  r.verdict = c.verdict;
  UsvView *v = usv_view_new (c.msg->mime, &r, size);
  /* the synthetic fields are ours, once each */
  char **verdict = usv_view_header (v, "x-unscatter-verdict");
  FUZZ_ASSERT (verdict && verdict[0] && verdict[1] == NULL);
  FUZZ_ASSERT (strcmp (verdict[0], usc_verdict_name (c.verdict->verdict)) == 0);
  UsvOutcome out;
  usv_outcome_init (&out);
  usv_run (script, v, &out);
  FUZZ_ASSERT (out.status == USV_STATUS_DONE);
  FUZZ_ASSERT (out.parse_errors->len == 0);
  UsvPlan plan;
  usv_plan_make (&out, &plan);
  gboolean backscatter = FALSE;
  if (plan.discard) {
    FUZZ_ASSERT (plan.folders->len == 0);
    FUZZ_ASSERT (usv_view_header (v, "x-fuzz-discard") != NULL);
  } else
    FUZZ_ASSERT (plan.folders->len > 0);
  for (guint i = 0; i < plan.folders->len; i++) {
    const char *f = plan.folders->pdata[i];
    FUZZ_ASSERT (g_strv_contains (folders, f));
    backscatter |= strcmp (f, "Backscatter") == 0;
  }
  if (out.rc == SIEVE2_OK && out.runtime_errors->len == 0)
    FUZZ_ASSERT (backscatter == (c.verdict->verdict == USC_VERDICT_BACKSCATTER));
  usv_plan_clear (&plan);
  usv_outcome_clear (&out);
  usv_view_free (&v);
  fuzz_classified_clear (&c);
  return 0;
}
