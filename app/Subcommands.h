#pragma once

// `portico token …` and `portico log …`: small commands for scripts. Returns the exit code, or
// -1 when argv names no subcommand.
int runSubcommand(int argc, char *argv[]);
