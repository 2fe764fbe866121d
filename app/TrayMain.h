#pragma once

// The tray application's entry point, compiled only with BUILD_UI (PORTICO_WITH_UI).

// Whether this command line, with a display, should start the tray application: no
// --headless, no subcommand (token, log), no --help or --version.
bool wantsTrayApplication(int argc, char *argv[]);
// Runs the tray application (one instance per user) and returns the exit code.
int runTrayApplication(int &argc, char *argv[]);
