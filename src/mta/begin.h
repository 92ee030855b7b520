/* src/mta/begin.h — included before each list of src/mta/<family>.def in
 * src/usc-tables-*.h: the row macros that list's table does not define
 * expand to nothing (src/mta/end.h undefines them all after the list).
 * No include guard: included once per list.
 *
 * The rows a .def may hold (all text lower case, as in the tables):
 *   USC_MTA_SIGNATURE (family, where, header, needle)       mta_signatures
 *   USC_MTA_SIGNATURE_LAST (family, where, header, needle)  ... tried after every family's own rows
 *   USC_MTA_MARKER (needle, strong)                         dsn_body_markers (strong: 1 or 0)
 *   USC_MTA_SEPARATOR (needle)                              copy_separators
 *   USC_MTA_REPORTING_HOST (phrase)                         reporting_host_markers
 */
#ifndef USC_MTA_SIGNATURE
#define USC_MTA_SIGNATURE(family, where, header, needle)
#endif
#ifndef USC_MTA_SIGNATURE_LAST
#define USC_MTA_SIGNATURE_LAST(family, where, header, needle)
#endif
#ifndef USC_MTA_MARKER
#define USC_MTA_MARKER(needle, strong)
#endif
#ifndef USC_MTA_SEPARATOR
#define USC_MTA_SEPARATOR(needle)
#endif
#ifndef USC_MTA_REPORTING_HOST
#define USC_MTA_REPORTING_HOST(phrase)
#endif
