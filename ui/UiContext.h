#pragma once

namespace portico {

class AppStatus;
class ConfigStore;
class Gateway;
class SecretCache;
class TokenService;

// The application objects the settings window and its pages work with. None is owned; all live
// in the GUI thread and outlive the widgets.
struct UiContext
{
    ConfigStore *config = nullptr;
    Gateway *gateway = nullptr;
    TokenService *tokens = nullptr;
    SecretCache *secrets = nullptr;
    AppStatus *status = nullptr;
};

} // namespace portico
