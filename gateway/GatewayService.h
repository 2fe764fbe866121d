#pragma once

#include "GatewayState.h"
#include "HttpConnection.h"
#include "RequestObserver.h"

#include <atomic>
#include <memory>
#include <mutex>

namespace portico {

class HttpResponder;

// The request handler: routes, guards, parses, resolves and starts provider calls. Called in
// the server's worker threads; everything it reads is either atomic or an immutable state.
class GatewayService
{
public:
    GatewayService();

    void handle(HttpRequest &&request, HttpResponder *responder);

    void setState(std::shared_ptr<const GatewayState> state);
    std::shared_ptr<const GatewayState> state() const;
    void setChatEnabled(bool enabled) { m_enabled.store(enabled, std::memory_order_relaxed); }
    bool chatEnabled() const { return m_enabled.load(std::memory_order_relaxed); }
    void setObserver(RequestObserver *observer) { m_observer.store(observer); }

    // Chat requests being answered right now (gateway.limits.maxConcurrentRequests caps it).
    int requestsInFlight() const { return m_inFlight->load(std::memory_order_relaxed); }

    // The byte-identical answer of a disabled endpoint.
    static QByteArray disabledBody();

private:
    void route(HttpRequest &&request, HttpResponder *responder);
    void reject(const HttpRequest &request, HttpResponder *responder, const ApiError &error,
                HeaderList headers = {});
    void handleChat(HttpRequest &&request, HttpResponder *responder, const GatewayState &state);
    void handleModels(const HttpRequest &request, HttpResponder *responder,
                      const GatewayState &state);
    HeaderList corsHeaders(const HttpRequest &request, const GatewayState &state) const;

    // The state of the request being handled, from the calling thread's cache.
    const GatewayState &currentState() const;

    mutable std::mutex m_stateMutex;
    std::shared_ptr<const GatewayState> m_state;
    std::atomic<quint64> m_stateGeneration{0};
    std::atomic<bool> m_enabled{false};
    std::atomic<RequestObserver *> m_observer{nullptr};
    std::shared_ptr<std::atomic<int>> m_inFlight = std::make_shared<std::atomic<int>>(0);
};

} // namespace portico
