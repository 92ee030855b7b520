/* usc-bounce-index-tabs.c — the tables of the notice index (UscTextTab
 * order) and of the malware prefixes: what src/gen-match-data indexes at
 * build time (usc-match-data.c) and what the analysis reads the answers of
 * (usc-bounce-index.c, usc-kind-virus.c). Only tables here, no search.
 */
#include "config.h"
#include "usc-bounce-private.h"
#include "usc-lang.h"

const char *const usc_scan_literals[USC_N_SCAN_LITERALS] = { "final-recipient:", "reporting-mta:", "http://",
                                                             "https://" };

static const char *const malware_eicar[] = { "eicar" };

void
usc_malware_tabs (UscMatchTab tabs[MAL_NTABS])
{
  tabs[MAL_PLATFORM] = (UscMatchTab) { malware_platforms, N (malware_platforms), TRUE };
  tabs[MAL_BARE] = (UscMatchTab) { malware_bare_prefixes, N (malware_bare_prefixes), TRUE };
  tabs[MAL_EICAR] = (UscMatchTab) { malware_eicar, N (malware_eicar), TRUE };
  tabs[MAL_TYPE] = (UscMatchTab) { malware_types, N (malware_types), TRUE };
  tabs[MAL_CLAMAV] = (UscMatchTab) { malware_clamav_platforms, N (malware_clamav_platforms), TRUE };
}

/* The column of dsn_body_markers and the body rows of mta_signatures (an
 * empty stand-in for the others: it costs nothing and keeps the indexes). */
static const char *markers_col[N (dsn_body_markers)];
static const char *sigs_col[N (mta_signatures)];

void
usc_notice_tabs (UscMatchTab tabs[USC_TT_N])
{
  for (guint i = 0; i < N (dsn_body_markers); i++)
    markers_col[i] = dsn_body_markers[i].needle;
  for (guint i = 0; i < N (mta_signatures); i++)
    sigs_col[i] = mta_signatures[i].where == SIG_BODY ? mta_signatures[i].needle : "";
  gsize n_text = 0, n_sep = 0;
  const char *const *text_p = usc_lang_text_phrases (&n_text);
  const char *const *sep_p = usc_lang_phrases (USC_LANG_SEPARATOR, &n_sep);
#define TAB(id, tab, n, every) tabs[id] = (UscMatchTab) { tab, (guint) (n), every }
  TAB (USC_TT_SCAN_LITERALS, usc_scan_literals, N (usc_scan_literals), FALSE);
  TAB (USC_TT_COPY_SEPARATORS, copy_separators, N (copy_separators), TRUE);
  TAB (USC_TT_VIRUS_BODY, virus_body_markers, N (virus_body_markers), FALSE);
  TAB (USC_TT_FORWARD, forward_markers, N (forward_markers), FALSE);
  TAB (USC_TT_AUTOREPLY_BODY, autoreply_body_markers, N (autoreply_body_markers), FALSE);
  TAB (USC_TT_CHALLENGE_BODY, challenge_body_markers, N (challenge_body_markers), FALSE);
  TAB (USC_TT_CHALLENGE_MESSAGE, challenge_message_words, N (challenge_message_words), FALSE);
  TAB (USC_TT_CHALLENGE_HOLD, challenge_hold_words, N (challenge_hold_words), FALSE);
  TAB (USC_TT_CHALLENGE_NOT, challenge_not_markers, N (challenge_not_markers), FALSE);
  TAB (USC_TT_VIRUS_CONTEXT, virus_context_markers, N (virus_context_markers), FALSE);
  TAB (USC_TT_LIST_REFUSAL, list_refusal_words, N (list_refusal_words), FALSE);
  TAB (USC_TT_CHALLENGE_REPLY, challenge_reply_instructions, N (challenge_reply_instructions), FALSE);
  TAB (USC_TT_DSN_MARKERS, markers_col, N (markers_col), FALSE);
  TAB (USC_TT_MTA_SIGS, sigs_col, N (sigs_col), FALSE);
  TAB (USC_TT_LANG_TEXT, text_p, n_text, FALSE);
  TAB (USC_TT_LANG_SEPARATOR, sep_p, n_sep, TRUE);
  gsize n_ascii = 0;
  const UscLangSignal *ascii_sig = NULL;
  const char *const *ascii_p = usc_lang_ascii_table (&n_ascii, &ascii_sig);
  TAB (USC_TT_LANG_ASCII, ascii_p, n_ascii, FALSE);
#undef TAB
  usc_malware_tabs (&tabs[USC_TT_MALWARE]);
}
