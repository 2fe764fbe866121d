#pragma once

#include <QObject>
#include <QString>

namespace portico {

// What the tray icon, its menu and the settings window show about the running application:
// the address, whether the endpoint is on, how many streams are live and what needs attention.
// Lives in the GUI thread; the composition root feeds it, the views observe changed().
class AppStatus : public QObject
{
    Q_OBJECT
public:
    enum class State { Off, Idle, Streaming, Error };
    Q_ENUM(State)

    // Where a problem comes from; each source holds at most one message.
    enum class Problem { Config, Gateway, Keychain };
    Q_ENUM(Problem)

    using QObject::QObject;

    State state() const;

    const QString &baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QString &url);
    bool endpointEnabled() const { return m_endpointEnabled; }
    void setEndpointEnabled(bool enabled);
    int liveStreamCount() const { return m_liveStreams; }
    void setLiveStreamCount(int count);
    // The model name the copied curl example uses.
    const QString &exampleModel() const { return m_exampleModel; }
    void setExampleModel(const QString &model);

    // An empty message clears the problem.
    void setProblem(Problem source, const QString &message);
    QString problem(Problem source) const;
    // The most important problem (config, then gateway, then keychain); empty when none.
    QString firstProblem() const;

signals:
    void changed();

private:
    QString m_baseUrl;
    QString m_exampleModel = QStringLiteral("portico-diagnostic");
    bool m_endpointEnabled = false;
    int m_liveStreams = 0;
    QString m_configProblem;
    QString m_gatewayProblem;
    QString m_keychainProblem;
};

} // namespace portico
