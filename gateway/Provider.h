#pragma once

#include "ProviderCall.h"

#include <QStringList>

namespace portico {

// A configured backend. Immutable once built, shared by every worker thread: createCall() must
// be safe to call from any thread; the call it returns lives in the calling thread.
class Provider
{
public:
    virtual ~Provider() = default;

    virtual QString id() const = 0;
    virtual QString type() const = 0;
    // Model names to advertise in GET /v1/models (may be empty).
    virtual QStringList models() const = 0;
    virtual ProviderCall *createCall(const CallContext &context, QObject *parent) const = 0;
    // Whether calls read CallContext::body even when CallContext::rawBody is set. A relay that
    // forwards the raw bytes does not, and the gateway then never builds the document.
    virtual bool needsBody() const { return true; }
};

} // namespace portico
