#include "AppStatus.h"

namespace portico {

AppStatus::State AppStatus::state() const
{
    if (!firstProblem().isEmpty())
        return State::Error;
    if (!m_endpointEnabled)
        return State::Off;
    return m_liveStreams > 0 ? State::Streaming : State::Idle;
}

void AppStatus::setBaseUrl(const QString &url)
{
    if (m_baseUrl == url)
        return;
    m_baseUrl = url;
    emit changed();
}

void AppStatus::setEndpointEnabled(bool enabled)
{
    if (m_endpointEnabled == enabled)
        return;
    m_endpointEnabled = enabled;
    emit changed();
}

void AppStatus::setLiveStreamCount(int count)
{
    count = qMax(0, count);
    if (m_liveStreams == count)
        return;
    m_liveStreams = count;
    emit changed();
}

void AppStatus::setExampleModel(const QString &model)
{
    if (m_exampleModel == model)
        return;
    m_exampleModel = model;
    emit changed();
}

void AppStatus::setProblem(Problem source, const QString &message)
{
    QString &slot = source == Problem::Config    ? m_configProblem
                    : source == Problem::Gateway ? m_gatewayProblem
                                                 : m_keychainProblem;
    if (slot == message)
        return;
    slot = message;
    emit changed();
}

QString AppStatus::problem(Problem source) const
{
    switch (source) {
    case Problem::Config:
        return m_configProblem;
    case Problem::Gateway:
        return m_gatewayProblem;
    case Problem::Keychain:
        break;
    }
    return m_keychainProblem;
}

QString AppStatus::firstProblem() const
{
    if (!m_configProblem.isEmpty())
        return m_configProblem;
    if (!m_gatewayProblem.isEmpty())
        return m_gatewayProblem;
    return m_keychainProblem;
}

} // namespace portico
