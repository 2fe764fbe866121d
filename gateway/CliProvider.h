#pragma once

#include "CliOptions.h"
#include "Provider.h"

#include <memory>

namespace portico {

struct ProviderConfig;

// `type: "cli"`: a local agent CLI (claude, codex, gemini or any command) as a backend. See
// CliOptions for the config keys and CliCall for how one request runs.
class CliProvider : public Provider
{
public:
    explicit CliProvider(const CliOptions &options);

    QString id() const override { return m_options.providerId; }
    QString type() const override { return QStringLiteral("cli"); }
    // Empty while the command is not found on PATH; otherwise the configured models, or else the
    // preset name (a custom command: the provider id), which runs the CLI's default model.
    QStringList models() const override;
    ProviderCall *createCall(const CallContext &context, QObject *parent) const override;

    const CliOptions &options() const { return m_options; }

private:
    const CliOptions m_options;
};

// The factory the provider registry calls for `type: "cli"`. On a bad config returns nullptr and
// sets `error` to "providers.<id>.<key>: <problem>".
std::shared_ptr<Provider> createCliProvider(const ProviderConfig &config, QString *error);

} // namespace portico
