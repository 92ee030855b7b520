/* usc-bounce-private.h — what the files of the bounce analysis share (not
 * installed, not API): the analysis context, the evidence, the limits, and
 * the functions one file of src/usc-bounce*.c / src/usc-kind-*.c offers the
 * others. The public API is usc-bounce.h; the steps are in usc-bounce.c. */
#ifndef USC_BOUNCE_PRIVATE_H
#define USC_BOUNCE_PRIVATE_H

#include "usc-bounce.h"
#include "usc-dsn.h"
#include "usc-sniff.h"
#include "usc-bounce-tables.h"
#include "usc-match.h"
#include "usc-mime-walk.h"
#include "usc-bounce-text.h"
#include "usc-lang.h"

#include <string.h>

G_BEGIN_DECLS

#define TEXT_MAX (512 * 1024)     /* text kept per part */
#define SCAN_MAX (256 * 1024)     /* text scanned for markers */
#define SNIFF_MAX (64 * 1024)     /* bytes handed to libmagic */

/* ---- analysis context ---- */

typedef struct {
  char *id;
  const char *source;
  int rank;
  guint seq;
} IdCand;

/* The bounce's own header fields (gather_headers in usc-bounce.c), read by
 * the evidence, the kinds, the references, the recipients and the family. */
typedef struct {
  GMimeMessage *mime;   /* the bounce (borrowed from its UscMessage) */
  char *own_id;
  char *from_addr;      /* lower */
  char *from_local;     /* lower */
  char *from_name;      /* lower */
  char *subject_lc;
  char *to_addr;        /* lower, first To */
  char *mailbox;        /* lower: this mailbox's address (Delivered-To, X-Original-To, else the first To), or NULL */
  gboolean null_sender;
  char *boundary_lc;
} Headers;

/* The notice's own text and what is found in it once: the text-scan state.
 * The walk writes @text; usc_text_separators() fills the cache. */
typedef struct {
  GString *text;        /* own text parts, UTF-8 */
  gsize first_off;      /* the first real text part in @text */
  gsize first_text_len;
  gboolean have_first;
  GArray *sep_occ;      /* UscMatchOcc: the copy_separators in @text (case-folded), or NULL */
  gsize sep_occ_len;    /* the length of @text they were found in */
} NoticeText;

/* What the MIME walk found besides the text (usc-bounce-walk.c), and the
 * copies found later in the text (usc-bounce-refs.c). */
typedef struct {
  char *report_type;    /* lower */
  GPtrArray *reports;   /* UscDsnReport* */
  gboolean feedback_part;
  char *feedback_text;  /* the first message/feedback-report part's fields, or NULL */
  GPtrArray *returned;  /* UscCopy* (owned): returned originals, best first */
  GPtrArray *returned_src; /* const char* static */
  gboolean header_copy;   /* a text/rfc822-headers style part */
  GPtrArray *payloads;    /* GMimeObject* (ref): attachments to sniff */
} Parts;

/* The analysis being written: the UscBounce and the indexes that keep its
 * recipients and status codes unique. */
typedef struct {
  UscBounce *b;
  GHashTable *rcpt_index;   /* of b->recipients (usc_ptr_array_add_unique_indexed) */
  GHashTable *status_index; /* of b->status */
} Out;

/* The original's Message-ID candidates, before they are ranked. */
typedef struct {
  GArray *cands;        /* IdCand */
  guint seq;
  const char *own_id;   /* the bounce's own, never a candidate (Headers.own_id) */
} IdCands;

/* A bounce returned inside this one (usc_analyze_inner). */
typedef struct {
  UscBounce *b;         /* its analysis, or NULL */
  guint at;             /* its index in Parts.returned */
} Inner;

/* The whole analysis of one message: only the steps (usc-bounce.c) see it;
 * each step gets the parts it reads. */
typedef struct {
  UscMessage *msg;
  guint max_depth;
  guint level;          /* 0; 1 while analysing a bounce returned inside a bounce */
  Headers h;
  NoticeText t;
  Parts p;
  Out o;
  Inner inner;
} Ctx;

/* A failed recipient / status code, unless already there (case-insensitive /
 * exact); takes ownership of @s. Linear in the number added. */
static inline gboolean
add_recipient (Out *o, char *s)
{
  return usc_ptr_array_add_unique_indexed (o->b->recipients, &o->rcpt_index, s, TRUE);
}

static inline gboolean
add_status (Out *o, char *s)
{
  return usc_ptr_array_add_unique_indexed (o->b->status, &o->status_index, s, FALSE);
}

/* The notice index (usc-bounce-index.c): every table searched in a
 * message's own text (Evidence.scan_lc), one usc-match table each, in
 * UscTextTab order. */
typedef struct {
  const UscMatch *m;  /* table USC_TT_DSN_MARKERS: dsn_body_markers[i].needle; USC_TT_MTA_SIGS:
                       * mta_signatures[i].needle (SIG_BODY rows; "" for the others) */
} TextMatcher;

/* The malware prefix tables (usc-tables-virus.h), in this order, one after
 * the other in every index that holds them (usc_malware_tabs). */
enum { MAL_PLATFORM, MAL_BARE, MAL_EICAR, MAL_TYPE, MAL_CLAMAV, MAL_NTABS };

/* ---- evidence and scores ---- */

/* What the message says about itself, gathered once. Scores are sums of
 * the weights below; each kind has its own threshold in usc_decide_kind(). */
typedef struct {
  char *scan_lc;            /* own text, lower-cased, '>'-quoted lines left out */
  const TextMatcher *tm;    /* the tables searched in scan_lc ... */
  UscMatchHits hits;        /* ... and where each entry first occurs in it (usc_match_hit) */
  gssize *sig_hits;         /* mta_signatures[i].needle (SIG_BODY rows) first in scan_lc, or -1 */
  GArray *malware_occ;      /* UscMatchOcc: every malware prefix in scan_lc (idx: usc_malware_tabs order) */
  char *lang_text;          /* scan_lc folded as Unicode when it is not ASCII, else NULL (scan_lc) */
  const UscMatchHits *lang_first; /* the src/lang text phrases (usc_lang_text_phrases) in that text: */
  guint lang_off;           /* ... from this index of @lang_first on */
  UscMatchHits lang_hits;   /* (lang_first's storage when lang_text is set) */
  GArray *lang_occ;         /* UscMatchOcc: every separator phrase of src/lang in that text */
  /* structure */
  gboolean report_dsn;      /* a parsed delivery-status part (or SES JSON) */
  gboolean report_ct;       /* multipart/report; report-type=delivery-status only */
  gboolean report_arf;      /* RFC 5965 */
  gboolean mdn;             /* RFC 8098 read receipt */
  gboolean ses;             /* Amazon SES JSON notification */
  gboolean hotmail_fbl;     /* Hotmail/Outlook.com feedback loop complaint */
  gboolean returned;        /* a copy of the original is returned */
  gboolean returned_bounce; /* ... and it is itself a bounce (a forwarded or nested bounce) */
  gboolean list_bounce;     /* a list's own message carrying an attached bounce, read first
                             * (usc_list_notice(), usc_analyze_attached()) */
  gboolean header_copy;     /* a text/rfc822-headers style part (Parts.header_copy) */
  gboolean report_hold;     /* delivery-status reports whose every recipient has a policy status
                             * (X.7.X) and no Diagnostic-Code or Remote-MTA: no server refused
                             * anything, a filter holds the message (usc_report_hold) */
  guint returned_parts;     /* returned copies the walk found (Parts.returned) */
  /* sender */
  gboolean daemon_local, daemon_name, daemon, weak_local, virus_sender;
  const char *daemon_hit;
  /* headers */
  gboolean x_failed, auto_replied, auto_any, mua, list, in_reply;
  gboolean chal_sw;         /* challenge-response software names itself */
  int virus_hdr;            /* a scan header says "infected" / "blocked" */
  int malware;              /* malware names in the text */
  /* wording */
  gboolean subject_dsn, virus_subject;
  const char *subject_hit, *autoreply_hit, *first_marker;
  int strong, weak;         /* DSN body markers */
  int virus_body;           /* virus body markers */
  /* RFC 8098 disposition notifications (usc_mdn_disposition) */
  gboolean mdn_failure;     /* a reject: deleted automatically, failed, an error */
  gboolean mdn_receipt;     /* a receipt: displayed, dispatched, processed */
  /* wording by language (src/lang, usc-lang.h) in scan_lc */
  int lang_fail, lang_delay, lang_ack, lang_vac, lang_chal;
  int lang_auto;            /* "this is an automatic message", "do not reply" (automatic.def) */
  int lang_confirm;         /* a challenge's request (confirm.def) */
  int lang_reply;           /* a challenge's "reply to this message" (reply-instruction.def) */
  gboolean lang_chal_subject; /* challenge.def wording in the subject */
  const char *lang_hit;     /* the first failure or delay phrase */
  gboolean lang_copy;       /* a separator line of src/lang/separator.def, then a header field */
  /* who sent it, what it is about */
  gboolean odd_sender;      /* a From with no usable address: "Mail System" <>, empty, <"Name"@host> */
  gboolean list_refusal;    /* list headers and list_refusal_words in the subject or text */
  gboolean own_copy;        /* the notice quotes a message of this mailbox: a "From:" line with
                             * its address, or a Message-ID of its domain */
  gboolean smtp_code;       /* an SMTP reply with an enhanced status code in the text ("550 5.1.1", "#5.2.2") */
  /* scores */
  int human, dsn, arep, chal, vir;
  int feedback;             /* usc-kind-feedback.c */
} Evidence;

/* The tables of usc-bounce-tables.h, src/lang and the malware prefixes
 * searched in Evidence.scan_lc through the one text index (usc-bounce-index.c;
 * its tables, in this order). */
typedef enum {
  USC_TT_SCAN_LITERALS,      /* "final-recipient:", "reporting-mta:", "http://", "https://" */
  USC_TT_COPY_SEPARATORS,    /* (every occurrence: usc_text_separators) */
  USC_TT_VIRUS_BODY,         /* virus_body_markers */
  USC_TT_FORWARD,            /* forward_markers */
  USC_TT_AUTOREPLY_BODY,     /* autoreply_body_markers */
  USC_TT_CHALLENGE_BODY,     /* challenge_body_markers */
  USC_TT_CHALLENGE_MESSAGE,  /* challenge_message_words */
  USC_TT_CHALLENGE_HOLD,     /* challenge_hold_words */
  USC_TT_CHALLENGE_NOT,      /* challenge_not_markers */
  USC_TT_VIRUS_CONTEXT,      /* virus_context_markers */
  USC_TT_LIST_REFUSAL,       /* list_refusal_words */
  USC_TT_CHALLENGE_REPLY,    /* challenge_reply_instructions */
  USC_TT_DSN_MARKERS,        /* dsn_body_markers[].needle */
  USC_TT_MTA_SIGS,           /* mta_signatures[].needle, the SIG_BODY rows ("" for the others) */
  USC_TT_LANG_TEXT,          /* usc_lang_text_phrases(): the text signals of src/lang */
  USC_TT_LANG_SEPARATOR,     /* src/lang/separator.def (every occurrence) */
  USC_TT_LANG_ASCII,         /* usc_lang_ascii_table(): failure and delay rows without diacritics */
  USC_TT_MALWARE,            /* the MAL_NTABS malware tables (every occurrence) */
  USC_TT_N = USC_TT_MALWARE + MAL_NTABS
} UscTextTab;

/* One sign of a kind in its rule table (usc-kind-*.c): the points it adds
 * to the score so far (@sofar; negative to take some away), with the
 * weights in the kind's own weight table. A rule reads @h and @e; it may
 * keep what it matched for the explanation (e->autoreply_hit). */
typedef struct {
  const char *name;  /* what the rule looks at (for a reader and a debugger) */
  int (*points) (const Headers *h, Evidence *e, int sofar);
} UscScoreRule;

/* Add a note (an --explain line) to @b. */
void usc_bounce_note (UscBounce *b, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* The analysis of @msg at nesting @level (0; 1 for a bounce returned inside a
 * bounce). Returns a new UscBounce (free with usc_bounce_free()). */
UscBounce *usc_bounce_analyze_level (UscMessage *msg, guint level);

/* ---- usc-bounce-part.c ---- */
/* A header-only block (text/rfc822-headers) read as a copy of the original's
 * header (usc_mime_parse_header_copy), drawing on @budget (the message's);
 * leading blank lines skipped. New, or NULL. */
UscCopy *usc_parse_header_block (const char *data, gsize len, UscBudget *budget);
/* Does @data start with a header field ("Received: ...")? */
gboolean usc_looks_like_field_n (const char *data, gsize len);
/* An embedded message, leading blank lines skipped; drawing on @budget. */
GMimeMessage *usc_embedded_message (const char *data, gsize len, UscBudget *budget);
/* A text part that is really a message file: named *.eml, or an
 * attachment whose content starts with header fields. */
/* An SMTP reply code with an enhanced status code ("550 5.1.1", "451-4.7.1",
 * "#5.2.2") in @s, looking at @max_tries candidate dots at most (the
 * analysis: 4000; the screen: all). usc-bounce-evidence.c. */
gboolean usc_smtp_code_scan (const char *s, int max_tries);
gboolean usc_is_message_file (GMimeObject *o);
/* What libmagic says a payload is (b->payload_types, b->executable). */
void usc_sniff_payload (UscBounce *b, GMimeObject *part);

/* ---- usc-bounce-walk.c ---- */
/* Add @c (taken) to p->returned, found as @source (static). */
void usc_add_returned (Parts *p, UscCopy *c, const char *source);
/* usc_add_returned() of a whole message (its reference taken). */
void usc_add_returned_message (Parts *p, GMimeMessage *m, const char *source);
/* Walk the notice's MIME tree from @body (usc-mime-walk.h, the visitors and
 * the content type -> handler table in usc-bounce-walk.c), within @msg's
 * limits and @max_depth: its text into @t; its reports, the returned
 * originals and the payloads to sniff into @p. TRUE when a limit stopped it. */
gboolean usc_bounce_walk (Parts *p, NoticeText *t, const UscMessage *msg, guint max_depth, GMimeObject *body);

/* ---- usc-bounce-copy.c ---- */
/* A site's own separator line: "=== The message you sent follows ===",
 * "--- Kopfzeilen der Originalnachricht ---": decoration (3+ of -=*_#~+)
 * before, decoration or a final ':' / '.' after, and between them words
 * about the message (separator_words), not a forward's. @l is one
 * line of @n bytes (the words are compared lower-cased). */
gboolean usc_decorated_separator (const char *l, gsize n);
/* A rule of decoration around words of any language on a short line of
 * @lc (lower-cased), a header field on one of the next three lines: where
 * a returned copy begins, whatever the words (not a forward's rule). */
gboolean usc_rule_before_fields (const char *lc);
/* find_separator() once the first of the copy_separators is known (@best). */
gssize usc_find_separator_from (const char *lc, gssize best);
/* Offset of the first copy-of-original separator line in @t, or -1. @t is
 * read as if lower-cased (ASCII): no lower-cased copy is needed. */
gssize usc_find_separator (const char *t);
/* Strip indentation and '>' quoting; returns the depth of quoting. */
const char *usc_strip_prefix (const char *line, int *quote_r);
gboolean usc_looks_like_field (const char *p);
/* Collect the header-looking block around line @at of @lines (prefix
 * stripped), parsed with only the fields the analysis reads
 * (usc_copy_field_wanted). */
UscCopy *usc_inline_header_block (char **lines, guint n, guint at, UscBudget *budget);
/* Is @name (@len bytes, any case) a field the analysis reads from a copy of
 * the original's header (parts->returned: Message-ID, From, Subject, To,
 * ...)? The header copies (inline blocks, text/rfc822-headers parts) are
 * read with these fields only (usc_mime_parse_header_copy): a new reader
 * of another field of a returned message must add it to copy_fields
 * (usc-bounce-copy.c). */
gboolean usc_copy_field_wanted (const char *name, gsize len);
/* Where the copy_separators occur in t->text (read as if lower-cased), in
 * the order usc_match_all_folded() gives them: from usc_notice_scan(), or
 * found again when the text changed since (usc-bounce-index.c). */
const GArray *usc_text_separators (NoticeText *t);
/* The notice's own words, before any copy of the original. Newly allocated. */
char *usc_diagnostic_region (NoticeText *t);
/* All of the notice's own text (every text part, not only the first),
 * up to the first copy of the original. Newly allocated. */
char *usc_notice_region (NoticeText *t);

/* ---- usc-bounce-evidence.c ---- */
void usc_evidence_clear (Evidence *e);
/* The shared evidence (structure, sender, headers, wording, the signs of a
 * person) of what @h, @p and @t say, then each kind's score
 * (usc_kind_*_score). A delivery-status report found in the text is added
 * to p->reports. */
void usc_gather_evidence (const Headers *h, Parts *p, NoticeText *t, Evidence *e);
/* The final pick among the kinds' scores, with its --explain notes (to @b). */
UscKind usc_decide_kind (const Headers *h, const Evidence *e, UscBounce *b);
/* Do @reports (UscDsnReport*) say that a filter holds the message: every
 * recipient of every report with an X.7.X status and no Diagnostic-Code or
 * Remote-MTA, at least one recipient, no disposition notification? */
gboolean usc_report_hold (const GPtrArray *reports);
/* The sum of @rules' points, in order. */
int usc_score_rules (const Headers *h, Evidence *e, const UscScoreRule *rules, gsize n);
/* Is @id ("local@host", no brackets) a Message-ID of the domain of
 * @mailbox ("alice@example.org": the host ends in example.org), and no
 * address of it (the mailbox itself; a local part without a digit)? */
gboolean usc_own_domain_id (const char *id, const char *mailbox);

/* ---- usc-bounce-index-tabs.c: the tables the indexes are written out of ---- */
#define USC_N_SCAN_LITERALS 4
/* "final-recipient:", "reporting-mta:", "http://", "https://" */
extern const char *const usc_scan_literals[USC_N_SCAN_LITERALS];
/* The notice index's tables, in UscTextTab order (src/gen-match-data.c
 * writes the index out; usc-match-data.h). */
void usc_notice_tabs (UscMatchTab tabs[USC_TT_N]);

/* ---- usc-bounce-wording.c ---- */
/* The wording of src/lang in the notice (e->lang_*: from the answers of
 * usc_notice_scan()), a quoted message of this mailbox (e->own_copy), an
 * SMTP reply code (e->smtp_code), an odd sender (e->odd_sender). */
void usc_lang_evidence (const Headers *h, Evidence *e);

/* ---- usc-bounce-index.c ---- */
/* Search e->scan_lc once for every table (UscTextTab): e->hits, e->malware_occ,
 * the src/lang answers (e->lang_*), and t->sep_occ (usc_text_separators). */
void usc_notice_scan (Evidence *e, NoticeText *t);
/* The notice index itself (its tables in UscTextTab order; for the tests). */
const UscMatch *usc_notice_index (void);
/* Free what usc_notice_scan() set in @e. */
/* The src/lang text signals (as usc_lang_count_from() counts them) in the
 * first @max bytes of @s with the line breaks inside paragraphs made
 * spaces (usc_lang_join_lines()): a phrase broken over a line end. FALSE
 * (@counts_r untouched) when there was no such line break. */
gboolean usc_notice_lang_joined (const char *s, gsize max, guint counts_r[USC_LANG_N_SIGNALS],
                                 const char *first_r[USC_LANG_N_SIGNALS]);
void usc_notice_scan_clear (Evidence *e);
/* usc_find_separator (e->scan_lc), from the index. */
gssize usc_text_separator (const Evidence *e);
/* Does table @t occur in e->scan_lc (usc_contains_any, from the index)? */
gboolean usc_text_any (const Evidence *e, UscTextTab t, const char **hit_r);
/* How many of table @t's entries occur in e->scan_lc (usc_count_markers)? */
int usc_text_count (const Evidence *e, UscTextTab t);
/* strstr (e->scan_lc, @lit) for one of the USC_TT_SCAN_LITERALS. */
const char *usc_text_find (const Evidence *e, const char *lit);

/* Each kind: its score (the sum of its rules, from @h and @e) and its
 * --explain notes (to @b). */
/* ---- usc-kind-dsn.c: non-delivery and delay reports ---- */
int usc_kind_dsn_score (const Headers *h, Evidence *e);
void usc_kind_dsn_explain (const Headers *h, const Evidence *e, UscBounce *b);

/* ---- usc-kind-feedback.c: RFC 5965 reports, feedback-loop complaints ---- */
int usc_kind_feedback_score (const Headers *h, Evidence *e);
void usc_kind_feedback_explain (const Headers *h, const Evidence *e, UscBounce *b);

/* ---- usc-kind-virus.c ---- */
/* Does a header field name start with one of @prefixes (lower case)? */
gboolean usc_header_name_prefix (GMimeObject *top, const char *const *prefixes, gsize n);
/* A scan header (name contains "virus") saying the message was caught. */
gboolean usc_virus_header_verdict (GMimeObject *top);
/* How many malware names (by the engines' naming shapes, see the tables)
 * does the lower-case text @lc contain (at most 4)? The prefixes are found
 * in one pass (malware_index); at each word start that has one, the first
 * entry of each table there is the one prefix_any() would give. */
int usc_malware_names (const char *lc);
/* The same, with the prefixes already found in @lc (@occ: UscMatchOcc, idx in
 * the order of usc_malware_tabs()). */
int usc_malware_names_occ (const char *lc, const GArray *occ);
/* The malware prefix tables, MAL_PLATFORM .. MAL_CLAMAV (every occurrence). */
void usc_malware_tabs (UscMatchTab tabs[MAL_NTABS]);
int usc_kind_virus_score (const Headers *h, Evidence *e);
void usc_kind_virus_explain (const Headers *h, const Evidence *e, UscBounce *b);

/* ---- usc-kind-challenge.c ---- */
/* Does the text hold a <msg-id> (a notice naming the message it is about)? */
gboolean usc_text_has_msgid (const char *s);
/* A link whose URL asks to confirm / verify / release. */
gboolean usc_confirm_link (const char *s);
/* A Reply-To (other than From) whose local part confirms by answering. */
gboolean usc_confirm_reply_to (const Headers *h);
int usc_kind_challenge_score (const Headers *h, Evidence *e);
void usc_kind_challenge_explain (const Headers *h, const Evidence *e, UscBounce *b);

/* ---- usc-kind-autoreply.c ---- */
/* Exchange inbox rule answer: the loop header, and a subject made of an
 * unknown prefix and the Thread-Topic (the original subject). */
gboolean usc_exchange_rule_reply (const Headers *h, GMimeObject *top);
/* "<prefix>: rest" whose prefix is one to three words, one of them with
 * the stem of "automatic" (autoreply_subject_stems): an automatic answer's
 * subject in a language the prefix table does not list. */
gboolean usc_stem_subject_prefix (const char *subject_lc);
int usc_kind_autoreply_score (const Headers *h, Evidence *e);
void usc_kind_autoreply_explain (const Headers *h, const Evidence *e, UscBounce *b);

/* ---- usc-bounce-refs.c ---- */
void usc_add_cand (IdCands *ids, char *id, const char *source, int rank);
/* An address that is really one of the original's Message-IDs ("<id@host>"
 * on a line of its own). */
gboolean usc_is_known_id (const UscBounce *b, const char *a);
/* Does the returned message @m look like a bounce itself (by its sender
 * or subject)? A cheap first look; the full analysis comes later. */
gboolean usc_looks_like_bounce (UscCopy *m);
/* Does In-Reply-To (or else References) name a message of another domain
 * than the sender's? */
gboolean usc_foreign_reference (const Headers *h);
/* The analysis of a bounce returned inside this one (the first of
 * p->returned that is a message part and looks like a bounce), at the top
 * @level only, drawing on @msg's limits and budget. Inner.b is new or NULL. */
Inner usc_analyze_inner (const Parts *p, const UscMessage *msg, guint level);
/* Is this message list software's own notice passing on an attached message:
 * mailing-list headers or a list role address (-owner, -request, -bounces,
 * owner-, +owner) as From, or the list writing as itself (From = Sender);
 * no mail user agent's header, no In-Reply-To / References; and a returned
 * message part (message/rfc822, message/global)? */
gboolean usc_list_notice (const Headers *h, const Parts *p, const Evidence *e);
/* A list role local part: "dev-owner", "dev-request", "dev-bounces",
 * "owner-dev", "dev+owner" (ASCII case ignored; NULL: FALSE). */
gboolean usc_list_role_local (const char *local);
/* usc_analyze_inner() for the first returned message part whatever it
 * looks like (a list's notice: the attached message is read first). */
Inner usc_analyze_attached (const Parts *p, const UscMessage *msg, guint level);
/* The original's Message-IDs, best first (see the ranks at each source). */
/* Header copies found in the notice's text are added to @p (parsed on
 * @budget). */
void usc_collect_ids (Out *o, const Headers *h, Parts *p, NoticeText *t, const Inner *inner, const Evidence *e,
                      UscKind kind, UscBudget *budget);
/* Subject, Date, ENVID and envelope sender of the original. */
void usc_collect_original (UscBounce *b, const Headers *h, const Parts *p, UscKind kind);

/* ---- usc-bounce-rcpt.c ---- */
/* Is @a (lower case) the bounce's own From or To, its envelope sender, or a
 * mailer-daemon: an address that names no failed recipient? */
gboolean usc_is_own_address (const Headers *h, const UscBounce *b, const char *a);
/* The returned original @orig's To mailboxes (the first 10) as failed
 * recipients, but for usc_is_own_address() ones; with @need_domain not an
 * address that ends at its '@'. */
void usc_add_copy_recipients (Out *o, const Headers *h, UscCopy *orig, gboolean need_domain);
/* Failed recipients, status codes and diagnostics from the reports;
 * Diagnostic-Code and Remote-MTA texts go to @diag_all, Reporting-MTAs to
 * @reporting_all (both lower-case, for the MTA family). */
void usc_collect_report_failures (Out *o, const Headers *h, const Parts *p, GString *diag_all,
                                  GString *reporting_all);
/* Whom a complained-about message was delivered to (RFC 5965 section 3.2):
 * the report's Original-Rcpt-To fields, else the feedback-loop header
 * that names it in the returned copy, else the copy's To addresses. */
void usc_collect_feedback_recipients (Out *o, const Headers *h, const Parts *p);

/* ---- usc-bounce-rcpt-text.c ---- */
/* Status codes (RFC 3463) in @t, in order; SMTP reply codes when none. */
void usc_scan_status (GPtrArray *out, const char *t);
/* Recipients, status codes, diagnostics and the reporting host of a
 * non-standard (text) notice. */
void usc_collect_text_failures (Out *o, const Headers *h, const Parts *p, NoticeText *t, const char *diag);

/* ---- usc-bounce-family.c ---- */
/* Amazon SES bounce notifications delivered through SNS: JSON with
 * "notificationType":"Bounce" and the original's "mail":{"messageId":...}. */
/* @text is the notice's text, @lc_text its lower-cased scan. With @ids
 * the original's Message-ID, recipients and status codes are taken too
 * (into @ids and @o). */
gboolean usc_ses_json (const char *text, const char *lc_text, IdCands *ids, Out *o);
/* The software or service that reported the failure. */
void usc_collect_family (UscBounce *b, const Headers *h, const Evidence *e, const char *diag_all,
                         const char *reporting_all);

G_END_DECLS
#endif
