#pragma once

#include <QStringList>

namespace portico {

struct Config;
class SessionLog;

// Applies the session log's settings from the configuration ("log": {"retentionDays",
// "keepContent"}) and the secrets it must never contain: the gateway's token and password from
// the environment, the providers' keys from their variables, plus `knownSecrets` (e.g. keys the
// app read from the keychain). Used by the headless runner and the tray app alike.
void applySessionLogSettings(SessionLog &log, const Config &config,
                             const QStringList &knownSecrets = {});

} // namespace portico
