/* usc-message.h — read one message (file, fd or pipe), enforce limits, parse it
 * with GMime.
 *
 * The raw bytes are kept exactly as read (filter and deliver write them back
 * unchanged); parsing works on them in place when their line endings are LF,
 * or when they are CRLF throughout and the message was made by
 * usc_message_new_in_place() / usc_message_read_fd() (the CRs are taken out
 * in the same buffer and put back by usc_message_raw_bytes()), else on a
 * copy with line endings normalised to LF (LF, CRLF and CR-only input are
 * all accepted); an mbox "From " line is skipped (its address is kept as a
 * last-resort envelope sender).
 *
 * The files: usc-message.c (a UscMessage: made, its limits checked, its
 * raw bytes, freed), usc-read.[ch] (all of an fd into memory),
 * usc-eol.[ch] (line endings), usc-mbox.[ch] (the From line),
 * usc-prescan.[ch] with usc-prescan-entity.c, usc-prescan-fields.c and
 * usc-content-type.[ch] (the pre-scan that makes hostile text safe for
 * GMime), usc-mime-parse.[ch] (the GMime parse, embedded messages),
 * usc-mime-content.[ch] (a part's decoded content and text).
 */
#ifndef USC_MESSAGE_H
#define USC_MESSAGE_H

#include <glib.h>
#include <gmime/gmime.h>
#include "usc-common.h"
#include "usc-budget.h"
/* the rest of the message-reading API, in one include */
#include "usc-read.h"
#include "usc-mbox.h"
#include "usc-mime-parse.h"
#include "usc-mime-content.h"

G_BEGIN_DECLS

/* Limits on hostile input. usc_limits_init() gives defaults that never reject
 * real mail; a message over max_bytes / max_header_bytes / max_headers is an
 * error (USC_ERROR_LIMIT), parts nested deeper than max_depth are not
 * descended into, and analysis stops (with what it has) after max_seconds.
 * The GMime parse itself is bounded by the same limits (see usc-prescan.c:
 * deeper containers become leaves, parts and nested header fields beyond the
 * limits are left out, and parse_limited is set). A zero field means its default.
 * These bound each parse; the message as a whole (its parse and every
 * re-parse of a part during analysis) shares one UscBudget of twice
 * max_headers / max_header_bytes / max_parts, 2 x its size + 1 MiB of bytes
 * and the max_seconds deadline (usc-budget.h). */
typedef struct UscLimits {
  gsize  max_bytes;         /* whole message (default 64 MiB) */
  gsize  max_header_bytes;  /* the top-level header block (default 4 MiB) */
  guint  max_headers;       /* top-level header fields (default 20000) */
  guint  max_depth;         /* MIME / message-in-message nesting (default 40) */
  guint  max_parts;         /* MIME parts visited (default 5000) */
  double max_seconds;       /* wall time for parse + analysis (default 10) */
} UscLimits;

void usc_limits_init (UscLimits *limits);

typedef struct {
  GBytes       *raw;          /* exactly the bytes read; owned. NULL while a message made
                                 from CRLF input by usc_message_new_in_place() or
                                 usc_message_read_fd() is parsed in place (in_place): use
                                 usc_message_raw_bytes() */
  const char   *text;         /* the LF text without the mbox "From " line (not NUL-terminated):
                                 a view of raw when raw has no CR, of in_place when parsed in
                                 place, else of text_bytes; never modified (NULL once
                                 usc_message_raw_bytes() has put the CRs back); GMime parses
                                 it in place */
  gsize         text_len;
  GBytes       *text_bytes;   /* the LF-normalised copy when raw has CR line endings, or a view
                                 of in_place; else NULL; owned */
  char         *in_place;     /* CRLF input turned to LF in its own buffer (owned), until
                                 usc_message_raw_bytes() turns it back and hands it to raw */
  gsize         in_place_len; /* that input's length, CRs included */
  gsize         raw_header_end; /* offset in raw just after the top header block's last line
                                   (where filter inserts its headers); == length when no body */
  const char   *raw_eol;      /* "\n", "\r\n" or "\r": the raw input's line ending (static) */
  gboolean      had_mbox_from;/* raw began with an mbox "From " line */
  char         *mbox_sender;  /* the address of that line, or NULL; owned */
  GMimeMessage *mime;         /* parsed message; owned (a reference) */
  UscLimits     limits;
  gint64        deadline;     /* usc_now_monotonic() value after which analysis stops */
  UscBudget    *budget;       /* what every parse of this message draws on (the top-level
                                 one and each re-parse during analysis); owned by a message
                                 from usc_message_new_*(), borrowed (not freed) by a
                                 UscMessage built on the stack around a part of it */
  gboolean      parse_limited;/* the parse was limited (parts nested deeper than max_depth
                                 taken as leaves, or parts / header fields beyond max_parts /
                                 max_headers / max_header_bytes left out) */
} UscMessage;

/* Read all of @fd (works on pipes, sockets and files) and parse it.
 * Returns a new message (free with usc_message_free()) or NULL with @error set
 * (USC_ERROR_IO, USC_ERROR_LIMIT, USC_ERROR_PARSE: an empty input). @limits may
 * be NULL. Input whose first line is no header field is taken as a body after
 * an empty header block (a message without headers), not refused. CRLF input
 * is parsed in place (see usc_message_new_in_place: msg->raw NULL, the bytes
 * by usc_message_raw_bytes()). */
UscMessage *usc_message_read_fd (int fd, const UscLimits *limits, GError **error);

/* Parse @raw (a reference is taken; @raw is not modified). As usc_message_read_fd(). */
UscMessage *usc_message_new_from_bytes (GBytes *raw, const UscLimits *limits, GError **error);

/* As usc_message_new_from_bytes(), taking over the caller's reference *@raw
 * (*@raw is set to NULL) so that input whose line endings are all CRLF can
 * be parsed without a copy: its CRs are taken out in the same buffer (when
 * *@raw was the only reference to it; else in a copy of it) and it is parsed
 * as LF input; msg->raw is then NULL until usc_message_raw_bytes(). On
 * failure (NULL with @error) *@raw holds the bytes again, unchanged. For the
 * front ends that write the message out (filter, deliver, unscatter-sieve):
 * one copy of a CRLF message in memory instead of two. */
UscMessage *usc_message_new_in_place (GBytes **raw, const UscLimits *limits, GError **error);

/* The bytes read, exactly (a new reference). For a message parsed in place
 * (usc_message_new_in_place, usc_message_read_fd), the first call puts the
 * CRs back where they were, in the same buffer: call it once the analysis
 * is done. From then on msg->text is NULL and the contents of msg->mime's
 * parts must not be read (they are views of that buffer); its header fields
 * stay valid (GMime copied them while parsing). */
GBytes *usc_message_raw_bytes (UscMessage *msg);

/* Same for the file at @path. */
UscMessage *usc_message_read_path (const char *path, const UscLimits *limits, GError **error);

/* Same for bytes in memory (copied). */
UscMessage *usc_message_new_from_data (const void *data, gsize len,
                                       const UscLimits *limits, GError **error);

/* Frees @msg and sets *@msg to NULL; accepts NULL and *NULL. */
void usc_message_free (UscMessage **msg);

/* The raw message with @fields (header lines separated by LF, e.g.
 * "X-Unscatter-Verdict: not-bounce\nX-Unscatter-Reason: ...") inserted at
 * raw_header_end, written with the message's own line ending (raw_eol); a
 * header block that ends without a line ending gets one first. Returns new bytes. */
GBytes *usc_message_with_headers (const UscMessage *msg, const char *fields);

/* TRUE once the message's analysis deadline (or its budget's) has passed. */
gboolean usc_message_expired (const UscMessage *msg);

G_END_DECLS
#endif
