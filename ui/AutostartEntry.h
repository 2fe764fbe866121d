#pragma once

#include <QString>

namespace portico {

// "Start at login" through an XDG autostart entry: $XDG_CONFIG_HOME/autostart/portico.desktop.
class AutostartEntry
{
public:
    static QString path();
    // Whether the entry exists and is not disabled (Hidden=true or
    // X-GNOME-Autostart-enabled=false).
    static bool isEnabled();
    // Writes (atomically) or removes the entry. `executable` defaults to this program.
    static bool setEnabled(bool enabled, QString *error, const QString &executable = {});
    static QByteArray contents(const QString &executable);
};

} // namespace portico
