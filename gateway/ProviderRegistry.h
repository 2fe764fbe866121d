#pragma once

#include "Config.h"
#include "Provider.h"

#include <memory>

namespace portico {

// Makes the provider a configuration entry describes. `apiKey` is the key to use (from the
// variable named by apiKeyEnv, else the keychain), possibly empty.
std::shared_ptr<const Provider> createProvider(const ProviderConfig &config,
                                               const QByteArray &apiKey, QString *error);

} // namespace portico
