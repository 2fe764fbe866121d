#pragma once

#include "Config.h"

#include <QObject>

#include <functional>

namespace portico {

class Gateway;

// The configuration the application runs with, and the one place that changes it. Lives in the
// GUI thread. update() is all or nothing: the changed configuration is validated (the same way
// the file is read), applied to the running gateway and saved atomically; if any step fails,
// the running gateway, the file and config() stay as they were and the reason is returned.
class ConfigStore : public QObject
{
    Q_OBJECT
public:
    using Mutator = std::function<void(Config &config)>;

    explicit ConfigStore(const QString &path, QObject *parent = nullptr);

    // The gateway changes are applied to (may be null: save only). Must outlive this store.
    void setGateway(Gateway *gateway) { m_gateway = gateway; }

    // Reads the file (a missing file gives the defaults). On failure config() keeps its previous
    // value, the error is remembered in loadError() and update() refuses to overwrite the file
    // until a later load() succeeds.
    bool load(QString *error);
    const QString &loadError() const { return m_loadError; }

    const Config &config() const { return m_config; }
    const QString &path() const { return m_path; }

    // Changes the configuration through `mutator`. Returns false with a message, changing
    // nothing, when the result is invalid, the gateway refuses it (e.g. the port is taken) or
    // the file cannot be written. With no gateway running, the change is saved and a start is
    // attempted; a failed start is reported by gatewayFailed(), not as a failed update.
    bool update(const Mutator &mutator, QString *error);
    // Validates a change without applying or saving it.
    bool check(const Mutator &mutator, QString *error) const;
    // Applies the current configuration again (after secrets it depends on changed).
    bool reapply(QString *error);

signals:
    void changed(const portico::Config &config);
    // load() failed; the file is left alone and update() refuses to overwrite it.
    void loadFailed(const QString &message);
    // The gateway could not be started with the (saved) configuration.
    void gatewayFailed(const QString &message);

private:
    bool prepare(const Mutator &mutator, Config *next, QString *error) const;
    bool applyToGateway(const Config &next, QString *error);

    QString m_path;
    Config m_config;
    QString m_loadError;
    Gateway *m_gateway = nullptr;
};

} // namespace portico
