#pragma once

#include <QString>
#include <QStringList>

// The command line of `portico` (not its subcommands).
struct Options
{
    bool headless = false;
    QString configPath; // empty: the default location
    QString bind;       // empty: from the configuration
    int port = -1;      // -1: from the configuration
    QString language;

    // Parses argv; on --help/--version or an error prints and sets `exitCode` (>= 0).
    static Options parse(const QStringList &arguments, int *exitCode);
};
