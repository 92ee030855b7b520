/* gmime-floor.c — the floor under any GMime-based parser: read each file,
 * parse it with GMime, free it; nothing else. `make bench` runs it on the
 * same files as `unscatter check` and Sisimai to show how much of the time
 * is GMime's own parse.
 * Usage: gmime-floor ROUNDS FILE... ; prints "MESSAGES SECONDS CPU-SECONDS"
 * (wall time, and this process's CPU time: on a shared machine the CPU time
 * is the steadier one). */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <gmime/gmime.h>

int
main (int argc, char **argv)
{
  if (argc < 3) {
    fprintf (stderr, "usage: gmime-floor ROUNDS FILE...\n");
    return 2;
  }
  int rounds = atoi (argv[1]);
  g_mime_init ();
  long n = 0;
  struct timespec c0, c1;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &c0);
  gint64 t0 = g_get_monotonic_time ();
  for (int r = 0; r < rounds; r++) {
    for (int i = 2; i < argc; i++) {
      gchar *data;
      gsize len;
      if (!g_file_get_contents (argv[i], &data, &len, NULL))
        continue;
      GMimeStream *s = g_mime_stream_mem_new_with_buffer (data, len);
      GMimeParser *p = g_mime_parser_new_with_stream (s);
      GMimeMessage *m = g_mime_parser_construct_message (p, NULL);
      if (m)
        g_object_unref (m);
      g_object_unref (p);
      g_object_unref (s);
      g_free (data);
      n++;
    }
  }
  gint64 t1 = g_get_monotonic_time ();
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &c1);
  printf ("%ld %.6f %.6f\n", n, (t1 - t0) / 1e6,
          (double) (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) / 1e9);
  g_mime_shutdown ();
  return 0;
}
