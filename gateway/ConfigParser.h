#pragma once

#include "Config.h"

namespace portico {

// Reads and validates a configuration object; on failure sets `error` to "<key path>: <problem>"
// and leaves `out` untouched. Config::fromJson() is the public entry point.
bool parseConfig(const QJsonObject &json, Config *out, QString *error);

} // namespace portico
