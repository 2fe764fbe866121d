#pragma once

#include <QStringList>

class QTextStream;

namespace portico {

struct Config;
class SecretStore;

// `portico token` for scripts:
//   portico token [--name NAME]   print that token's secret ("default" when no name is given);
//                                 the default token is created, and the config saved, if missing
//   portico token --list          names, ids and creation times, never secrets
//   portico token --revoke NAME   revoke a token: its record leaves the config, its secret the
//                                 keychain
// `args` are the words after "token". Runs a local event loop until the store's jobs end (a
// QCoreApplication must exist). Returns the process exit code: 0 on success, 1 when the
// keychain or the config fails (with a clear message on `err`), 2 for a usage error.
int runTokenCommand(const QStringList &args, QTextStream &out, QTextStream &err, SecretStore &store,
                    Config &config, const QString &configPath);

} // namespace portico
