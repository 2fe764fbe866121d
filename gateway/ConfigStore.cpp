#include "ConfigStore.h"

#include "Gateway.h"

namespace portico {

ConfigStore::ConfigStore(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
{}

bool ConfigStore::load(QString *error)
{
    Config loaded;
    QString why;
    if (!Config::load(m_path, &loaded, &why)) {
        m_loadError = why;
        if (error)
            *error = why;
        emit loadFailed(why);
        return false;
    }
    m_loadError.clear();
    m_config = loaded;
    emit changed(m_config);
    return true;
}

bool ConfigStore::prepare(const Mutator &mutator, Config *next, QString *error) const
{
    if (!m_loadError.isEmpty()) {
        if (error)
            *error = tr("The configuration file could not be read, so it is not overwritten. "
                        "Fix or remove it, then reload: %1")
                         .arg(m_loadError);
        return false;
    }
    Config changedConfig = m_config;
    if (mutator)
        mutator(changedConfig);
    // Validate exactly as a file is read, so what is saved can always be loaded again.
    QString why;
    if (!Config::fromJson(changedConfig.toJson(), next, &why)) {
        if (error)
            *error = why;
        return false;
    }
    return true;
}

bool ConfigStore::check(const Mutator &mutator, QString *error) const
{
    Config next;
    return prepare(mutator, &next, error);
}

bool ConfigStore::applyToGateway(const Config &next, QString *error)
{
    if (!m_gateway || !m_gateway->isRunning())
        return true;
    return m_gateway->apply(next, error);
}

bool ConfigStore::update(const Mutator &mutator, QString *error)
{
    Config next;
    if (!prepare(mutator, &next, error))
        return false;
    const bool wasRunning = m_gateway && m_gateway->isRunning();
    if (!applyToGateway(next, error))
        return false;
    QString saveError;
    if (!next.save(m_path, &saveError)) {
        // Put the running gateway back the way it was: nothing changes half-way.
        QString ignored;
        if (wasRunning)
            m_gateway->apply(m_config, &ignored);
        if (error)
            *error = saveError;
        return false;
    }
    m_config = next;
    if (m_gateway && !wasRunning) {
        QString startError;
        if (!m_gateway->start(m_config, &startError))
            emit gatewayFailed(startError);
    }
    emit changed(m_config);
    return true;
}

bool ConfigStore::reapply(QString *error)
{
    if (!m_gateway || !m_loadError.isEmpty())
        return true;
    if (m_gateway->isRunning())
        return m_gateway->apply(m_config, error);
    QString why;
    if (!m_gateway->start(m_config, &why)) {
        if (error)
            *error = why;
        emit gatewayFailed(why);
        return false;
    }
    return true;
}

} // namespace portico
