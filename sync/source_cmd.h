/* source_cmd.h - `kiosk-server admin import-source` and `admin source-runs`
 * (sync/source.h does the work).  argv[0] is the command; returns an exit code. */
#ifndef SOURCE_CMD_H
#define SOURCE_CMD_H

int source_admin(int argc, char **argv, const char *dbspec);

#endif
