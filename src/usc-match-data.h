/* usc-match-data.h — the indexes of the bounce analysis's big tables,
 * written out as C at build time (src/gen-match-data.c writes
 * usc-match-data.c from the tables themselves): no process builds them.
 * Static: never freed (usc_match_free() leaves them alone). */
#ifndef USC_MATCH_DATA_H
#define USC_MATCH_DATA_H

#include "usc-match.h"

G_BEGIN_DECLS

/* Every table the analysis searches in the notice's text, in UscTextTab
 * order (usc_notice_tabs(), usc-bounce-private.h). */
extern const UscMatch usc_match_data_notice;
/* The wording of src/lang: usc_lang_text_phrases(), then the separator
 * phrases (every occurrence): for a text folded as Unicode. */
extern const UscMatch usc_match_data_lang;
/* copy_separators (every occurrence). */
extern const UscMatch usc_match_data_sep;
/* The malware prefixes, MAL_PLATFORM .. MAL_CLAMAV (usc_malware_tabs()). */
extern const UscMatch usc_match_data_malware;

G_END_DECLS
#endif
