/* usc-tables-senders.h — who sends a bounce, and the fields of mail people and lists send.
 *
 * The daemon senders (local parts, prefixes, display names) the evidence and
 * the header-first screen read (src/usc-bounce-evidence.c, src/usc-screen.c),
 * and the signs of a person or a list (reply/forward subjects, a mail user
 * agent's fields, RFC 2369/2919 list fields) that count against a bounce.
 *
 * One of the bounce analysis's tables, included through usc-bounce-tables.h
 * (its conventions apply). Keep each table's order: where the first match
 * wins, order is meaning.
 */
#ifndef USC_TABLES_SENDERS_H
#define USC_TABLES_SENDERS_H

/* Local parts of the senders of non-delivery reports (exact match). */
static const char *const daemon_local_parts[] = {
  "mailer-daemon", "mailer_daemon", "mailerdaemon", "mail-daemon", "maildaemon",
  "postmaster", "post_master", "post-master", "mail.daemon", "mdaemon", "mmdf", "mailadmin", "mail-admin",
  "mail_system", "mailsystem", "mailerdaemon-noreply", "no-reply-mailer-daemon",
  "postmaster-noreply", "delivery-status", "nondelivery", "mailer-daemon-noreply",
};

/* Local parts that daemons use, but people and cron jobs too (weak hint). */
static const char *const weak_daemon_local_parts[] = {
  "smtp", "mailer", "mail", "bounce", "bounces", "nobody", "root", "system", "daemon",
  "mta", "mailman", "noreply", "no-reply", "do-not-reply", "donotreply", "admin",
  "administrator", "notification", "notifications", "mailrelay", "mx", "gateway",
};

/* Local-part prefixes that mark a daemon sender ("postmaster-xyz", "MAILER-DAEMON1"). */
static const char *const daemon_local_prefixes[] = {
  "mailer-daemon", "postmaster", "microsoftexchange", "mail-daemon", "mailerdaemon",
};

/* Display names of daemon senders (substring of the lower-cased name). */
static const char *const daemon_display_names[] = {
  "mail delivery", "mailer-daemon", "mailer daemon", "mail administrator",
  "postmaster", "mail system", "delivery status", "microsoft outlook",
  "microsoft exchange", "mail delivery subsystem", "mail delivery system",
  "internet mail delivery", "returned mail", "mail router", "mailer_daemon",
  "e-mail delivery", "email delivery", "delivery notification", "smtp gateway",
  "mail transport", "post office", "mail-daemon", "undeliverable",
  "systemadministrator", "system administrator", "content-filter at", "mail deliver system",
  "interscan", "mail delivery service", "mail server",
};

/* Human mail: subject prefixes of forwards and replies. */
static const char *const human_subject_prefixes[] = {
  "fwd:", "fw:", "fwd ", "[fwd:", "wg:", "tr:", "rv:", "i:", "doorst:", "vs:", "vb:",
  "enc:", "pd:", "fs:", "npr:", "re:", "aw:", "sv:", "antw:", "ref:", "odp:", "réf:",
  "res:", "r:", "ynt:",
};

/* Header fields that only mail user agents set. */
static const char *const human_headers[] = {
  "User-Agent", "X-Mozilla-Draft-Info", "X-Mozilla-Status", "X-Apple-Base-Url",
  "X-Apple-Mail-Remote-Attachments", "X-Uniform-Type-Identifier", "X-Universally-Unique-Identifier",
  "X-Smtp-Server", "X-Mailer-Version", "X-Face", "Face",
};

/* Mailing-list headers (RFC 2369, RFC 2919). */
static const char *const list_headers[] = {
  "List-Id", "List-Post", "List-Unsubscribe", "Mailing-List", "X-Mailing-List",
  "X-BeenThere",
};

#endif
