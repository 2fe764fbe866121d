#pragma once

#include "Provider.h"

namespace portico {

// `type: "diagnostic"`: built in, offline and deterministic. It answers like a model would,
// streaming or not, with what Portico resolved for the request and how to set up a real
// provider, so a fresh install answers at once.
class DiagnosticProvider : public Provider
{
public:
    explicit DiagnosticProvider(const QString &id, int chunkDelayMs = 15);

    QString id() const override { return m_id; }
    QString type() const override { return QStringLiteral("diagnostic"); }
    QStringList models() const override { return {QStringLiteral("portico-diagnostic")}; }
    ProviderCall *createCall(const CallContext &context, QObject *parent) const override;

    // The text the diagnostic agent answers with (exposed for tests).
    static QString answerText(const CallContext &context);

private:
    QString m_id;
    int m_chunkDelayMs;
};

} // namespace portico
