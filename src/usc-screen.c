/* usc-screen.c — the header-first screen (see usc-screen.h): its decision
 * rules, in the order it tries them, and the argument that they are safe.
 * Its tests live in usc-screen-fields.c (S1-S3: the From and the header
 * fields), usc-screen-text.c (S0: the MIME structure and the text) and
 * usc-screen-words.c (the words searched for); what they share is in
 * usc-screen-private.h.
 *
 * WHY IT IS CONSERVATIVE. usc_bounce_analyze() calls a message "not a
 * bounce" with no note unless one of the following holds (usc-bounce.c,
 * gather_evidence() and decide_kind(); "human", the score of signs of a
 * person, is >= 0 and only ever subtracted):
 *   a. a report structure: multipart/report (read receipts get a note,
 *      delivery-status and feedback reports are bounces), a message/... or
 *      text/rfc822-headers part, a delivery-status or feedback-report part,
 *      or Amazon SES's JSON in the text (a report by itself);
 *   b. DSN score - human >= 3 (a note at 3, a DSN at 7);
 *   c. auto-reply score >= 3 (a note at 3, an auto-reply at 6);
 *   d. challenge score - human >= 8; virus score >= 9 (>= 12 in a report);
 *   e. the walk stopped at a limit (a note).
 * The screen lets a message through only when all of these hold:
 *   S0 no report part of (a): no multipart/report, no message/... or
 *      *rfc822* leaf (header blocks, encoded messages), no delivery-status
 *      or feedback-report part; a message part GMime parsed (a forwarded
 *      message/rfc822) only with header fields of its own and not from a
 *      weak From (below) nor from list software (mailing-list headers or
 *      a list role From: usc_list_notice() reads the attached message
 *      first), its nodes counted as the analysis' walk counts
 *      them; from a weak From, no leaf the analysis could take for a
 *      returned message (an .eml name, application/octet-stream, a text
 *      attachment that starts with header fields); fewer parts and less
 *      depth than the limits, and the parse budget not spent; no text part
 *      (its text made exactly as the analysis makes it: usc_part_text(),
 *      usc_html_to_text()) or multipart prologue holding a DSN, auto-reply
 *      or challenge body marker, a failure, delay, acknowledgement or
 *      absence phrase of src/lang (usc-lang.h), or "notificationtype" (the
 *      text searched as is, ASCII case ignored, and for text beyond ASCII
 *      once more folded by usc_lang_fold(), as the analysis reads the
 *      src/lang tables); from a weak or odd From, no SMTP reply code with
 *      an enhanced status code (usc_smtp_code_scan(): 2 DSN points from a
 *      notice's source); with Precedence bulk, junk or list and an
 *      In-Reply-To or References field, no phrase of
 *      src/lang/automatic.def (the auto-reply score's lang and marked
 *      rules);
 *   S1 no From mailbox whose local part is a daemon's or a scanner's (equal
 *      to an entry of daemon_local_parts or virus_local_parts, or starting
 *      with one of daemon_local_prefixes) or whose display name contains a
 *      daemon's or scanner's name; a local part of weak_daemon_local_parts
 *      ("noreply", "notifications": a "weak From") only with a usable
 *      address (not odd_sender());
 *   S2 no null sender (Return-Path <>, mailer-daemon; mbox "From <>");
 *   S3 no X-Failed-Recipients, Auto-Submitted, auto-reply header (of the
 *      table's name and value, in any field of that name), Precedence
 *      "junk", challenge software header (name, name prefix, or name and
 *      value), Exchange inbox-rule header, or field whose name contains
 *      "virus" with a verdict (usc_virus_header_verdict()'s test, so
 *      "X-Virus-Scanned: amavisd-new" passes); no Precedence bulk, junk or
 *      list with an In-Reply-To or References field unless a
 *      mailing-list header (list_headers) is there;
 *   S4 a subject with none of the DSN, challenge, auto-reply (prefixes,
 *      tokens, phrases, weak prefixes, stems, src/lang/autoreply-subject.def)
 *      and Hotmail-complaint words; not a raw 8-bit subject (the analysis
 *      reads one in the text's charset, not as GMime decoded it).
 * Then (b): every strong DSN sign is gone (S0-S4: no report, no
 * failed-recipient field, no null or daemon sender, no DSN subject, no body
 * marker or src/lang wording, no header copy, no Auto-Submitted); what is
 * left is a weak From (1) or an odd one (2), never both, and an SMTP reply
 * code (2) only where neither is (notice_source() then wants our copy
 * returned), so the score is at most 2: a returned copy adds only to a
 * score >= 3 or with a daemon sender, a returned bounce only from a weak,
 * daemon or automatic sender (none reaches the analysis from a weak From,
 * S0). (c): the auto-reply
 * score is at most 2 (In-Reply-To, X-Auto-Response-Suppress; Precedence
 * "junk" would add 2; the lang and marked rules want src/lang wording, of
 * automatic.def only on a machine-marked answer, S0; the receipt shape and
 * its reference number want the null sender or Precedence on an answer
 * with no list header, S2, S3). (d): the challenge score is at most 4 (a "confirm"
 * Reply-To: every other rule wants a machine's mark or the words); the
 * virus score is capped at 8 when no daemon, automatic sender, scanner
 * sender or virus verdict (S1-S3) makes it a notice. (e): S0. Every test
 * here is the analysis' own on the same GMime data with the same tables
 * (usc-bounce-tables.h), or a weaker one (a substring where it wants a
 * prefix or an equal string, every field of a name where it reads the
 * first, every From mailbox where it reads the first, all the text where
 * it reads the unquoted lines of the first 256 KiB): the screen may leave a
 * message to the analysis that it could have passed, never the reverse.
 * The time limit (max_seconds) is the one exception by nature: the screen
 * passes mail that the analysis might, on a stalled machine, have stopped
 * on with a note.
 * tests/test-screen.c checks the claim on every message we have.
 */
#include "config.h"
#include "usc-screen.h"
#include "usc-screen-private.h"

#include <string.h>

gboolean
usc_screen_enabled (void)
{
  static gsize once = 0;
  static gboolean on = TRUE;
  if (g_once_init_enter (&once)) {
    const char *v = g_getenv ("UNSCATTER_SCREEN");
    on = !(v && strcmp (v, "0") == 0);
    g_once_init_leave (&once, 1);
  }
  return on;
}

UscBounce *
usc_screen (const UscMessage *msg)
{
  return usc_screen_why (msg, NULL);
}

UscBounce *
usc_screen_why (const UscMessage *msg, char **why_r)
{
  UscScreenWhy state = { why_r != NULL, NULL, NULL }, *why = &state;
  UscBounce *b = NULL;
  if (msg == NULL || msg->mime == NULL || !usc_screen_enabled ()) {
    usc_screen_why_set (why, "off");
    goto out;
  }
  GMimeMessage *mm = msg->mime;
  GMimeObject *top = GMIME_OBJECT (mm);

  /* the commonest signs of a bounce first: they cost one look-up each */
  GMimeObject *body = g_mime_message_get_mime_part (mm);
  GMimeContentType *ct = body ? g_mime_object_get_content_type (body) : NULL;
  if (g_mime_object_get_header (top, "Auto-Submitted") || g_mime_object_get_header (top, "X-Failed-Recipients") ||
      (ct && g_mime_content_type_is_type (ct, "multipart", "report"))) {
    usc_screen_why_set (why, "Auto-Submitted, X-Failed-Recipients or multipart/report");
    goto out;
  }
  const char *subj = g_mime_message_get_subject (mm);
  /* a raw 8-bit subject: the analysis reads it in the text's charset or a
   * guessed one (usc-bounce.c, raw_subject()), not as GMime decoded it */
  GMimeHeaderList *hl = g_mime_object_get_header_list (top);
  GMimeHeader *sh = hl ? g_mime_header_list_get_header (hl, "Subject") : NULL;
  const char *raw = sh ? g_mime_header_get_raw_value (sh) : NULL;
  if (subj && raw && !strstr (raw, "=?") && !g_utf8_validate (raw, -1, NULL)) {
    usc_screen_why_set (why, "S4 a raw 8-bit subject");
    goto out;
  }
  /* lower-cased as g_utf8_strdown() does; an ASCII subject (most) in a
   * buffer of its own, which is what g_utf8_strdown() makes of it outside
   * the locales with special casing */
  char buf[256], *subject_lc = NULL;
  gsize sl = subj ? strlen (subj) : 0, k = 0;
  if (sl < sizeof buf && !usc_screen_special_casing ())
    for (; k < sl && (guchar) subj[k] < 0x80; k++)
      buf[k] = subj[k] >= 'A' && subj[k] <= 'Z' ? (char) (subj[k] + ('a' - 'A')) : subj[k];
  if (k == sl && sl < sizeof buf && !usc_screen_special_casing ())
    buf[sl] = '\0';
  else
    subject_lc = subj ? g_utf8_strdown (subj, -1) : g_strdup ("");

  /* S4 (the complaint words are in the subject's set) */
  gboolean plain = !usc_screen_contains (usc_screen_subject_words (), subject_lc ? subject_lc : buf, why);
  g_free (subject_lc);
  if (!plain) {
    usc_screen_why_set (why, "S4 the subject");
    goto out;
  }

  /* S2 (the mbox From line), S1, S3 */
  if (msg->had_mbox_from && msg->mbox_sender && *msg->mbox_sender == '\0') {
    usc_screen_why_set (why, "S2 the mbox From line's null sender");
    goto out;
  }
  gboolean weak = FALSE, odd = FALSE, marked = FALSE, refs = FALSE;
  if (!usc_screen_sender_is_plain (mm, &weak, &odd, why) || !usc_screen_fields_are_plain (top, &marked, &refs, why))
    goto out;

  /* S3: an answer marked by Precedence (bulk, junk, list) with no
   * mailing-list header: the auto-reply score's receipt shape wants no
   * wording */
  if (marked && refs && !usc_screen_has_list_header (top)) {
    usc_screen_why_set (why, "S3 Precedence on an answer, no list header");
    goto out;
  }
  /* S0 (a parse that spent the message's budget gets a note) */
  if (msg->budget && msg->budget->exhausted) {
    usc_screen_why_set (why, "S0 the parse budget is spent");
    goto out;
  }
  UscScreenWalk w = { msg, 0, msg->limits.max_depth ? msg->limits.max_depth : 40, weak, weak || odd, marked && refs, why,
                      usc_screen_is_list_mail (mm) };
  if (!usc_screen_structure_is_plain (&w, g_mime_message_get_mime_part (mm), 1))
    goto out;

  b = usc_bounce_new ();
  const char *date = g_mime_object_get_header (top, "Date");
  if (date) {
    b->bounce_date = g_strdup (date);
    GDateTime *dt = g_mime_utils_header_decode_date (date);
    if (dt) {
      b->bounce_time = g_date_time_to_unix (dt);
      g_date_time_unref (dt);
    }
  }
out:
  if (why_r)
    *why_r = b ? NULL : why->what ? g_strdup_printf ("%s%s%s%s", why->what, why->word ? " (\"" : "",
                                                      why->word ? why->word : "", why->word ? "\")" : "")
                                   : g_strdup ("?");
  g_free (why->word);
  return b;
}
