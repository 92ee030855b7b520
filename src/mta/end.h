/* src/mta/end.h — after each list of src/mta/<family>.def in
 * src/usc-tables-*.h (see src/mta/begin.h). No include guard. */
#undef USC_MTA_SIGNATURE
#undef USC_MTA_SIGNATURE_LAST
#undef USC_MTA_MARKER
#undef USC_MTA_SEPARATOR
#undef USC_MTA_REPORTING_HOST
