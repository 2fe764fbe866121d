#include "GatewayService.h"

#include "AgentResolver.h"
#include "ChatExchange.h"
#include "ChatRequest.h"
#include "HttpResponder.h"
#include "JsonSplice.h"
#include "RequestGuard.h"
#include "ThreadRandom.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>

#include <algorithm>
#include <iterator>

namespace portico {

namespace {

const HeaderList kJson{{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};

void sendError(HttpResponder *responder, const ApiError &error, HeaderList headers = {})
{
    headers.prepend({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    if (!error.retryAfter.isEmpty())
        headers.append({QByteArrayLiteral("Retry-After"), error.retryAfter});
    responder->respond(error.status, headers, error.toJson());
}

ApiError methodNotAllowed(const char *allow)
{
    ApiError error;
    error.status = 405;
    error.type = "invalid_request_error";
    error.code = "method_not_allowed";
    error.message = QStringLiteral("This endpoint only accepts %1.").arg(QLatin1String(allow));
    return error;
}

// "chatcmpl-" and 24 characters of [A-Za-z0-9], written straight into the string: this runs for
// every request.
QString newRequestId()
{
    static constexpr char16_t alphabet[] =
        u"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static constexpr char16_t prefix[] = u"chatcmpl-";
    constexpr qsizetype PrefixLength = std::size(prefix) - 1;
    quint64 bits[3];
    threadRandom().fillRange(bits);
    QString id(PrefixLength + 24, Qt::Uninitialized);
    char16_t *out = reinterpret_cast<char16_t *>(id.data());
    out = std::copy_n(prefix, PrefixLength, out);
    for (int i = 0; i < 24; ++i)
        *out++ = alphabet[(bits[i / 8] >> ((i % 8) * 8)) % 62];
    return id;
}

bool isJsonContentType(QByteArrayView value)
{
    const qsizetype semicolon = value.indexOf(';');
    const QByteArrayView type = (semicolon < 0 ? value : value.first(semicolon)).trimmed();
    // The bytes as they are first: nearly every client writes it in lower case, and qstrnicmp()
    // costs ten times a memcmp().
    const auto is = [](QByteArrayView text, QByteArrayView lower) {
        return text.size() == lower.size() &&
               (text == lower || text.compare(lower, Qt::CaseInsensitive) == 0);
    };
    return is(type, "application/json") ||
           (type.size() >= 17 && is(type.first(12), "application/") && is(type.last(5), "+json"));
}

} // namespace

GatewayService::GatewayService() = default;

QByteArray GatewayService::disabledBody()
{
    static const QByteArray body =
        ApiError::notFound(QStringLiteral("Not found."), "not_found").toJson();
    return body;
}

void GatewayService::setState(std::shared_ptr<const GatewayState> state)
{
    std::lock_guard lock(m_stateMutex);
    m_state = std::move(state);
    // Unique across every service, so a thread's cache can never mistake one for another.
    static std::atomic<quint64> generations{0};
    m_stateGeneration.store(generations.fetch_add(1) + 1, std::memory_order_release);
}

std::shared_ptr<const GatewayState> GatewayService::state() const
{
    std::lock_guard lock(m_stateMutex);
    return m_state;
}

const GatewayState &GatewayService::currentState() const
{
    // Each worker thread keeps the state it last saw and takes the lock only when it changed:
    // no lock, no shared reference count touched per request.
    struct Cached
    {
        quint64 generation = 0;
        std::shared_ptr<const GatewayState> state;
    };
    thread_local Cached cached;
    const quint64 generation = m_stateGeneration.load(std::memory_order_acquire);
    if (cached.generation != generation || !cached.state) {
        cached.generation = generation;
        cached.state = state();
    }
    return *cached.state;
}

HeaderList GatewayService::corsHeaders(const HttpRequest &request, const GatewayState &state) const
{
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty() || !state.allowedOrigins.contains(origin))
        return {};
    return {{"Access-Control-Allow-Origin", origin}, {"Vary", "Origin"}};
}

void GatewayService::handle(HttpRequest &&request, HttpResponder *responder)
{
    route(std::move(request), responder);
}

void GatewayService::reject(const HttpRequest &request, HttpResponder *responder,
                            const ApiError &error, HeaderList headers)
{
    if (RequestObserver *observer = m_observer.load())
        observer->requestRejected(request.method, request.path, error.status, error.message,
                                  request.peerString());
    sendError(responder, error, std::move(headers));
}

void GatewayService::route(HttpRequest &&request, HttpResponder *responder)
{
    const GatewayState &state = currentState();
    const QByteArray &path = request.path;

    if (path == "/healthz" || path == "/health") {
        if (request.method != "GET" && request.method != "HEAD")
            return reject(request, responder, methodNotAllowed("GET, HEAD"),
                          {{"Allow", "GET, HEAD"}});
        if (!RequestGuard::hostAllowed(request.header("host"), state))
            return reject(
                request, responder,
                ApiError::forbidden(QStringLiteral("The Host header does not name this gateway.")));
        const QByteArray body =
            QByteArrayLiteral("{\"status\":\"ok\",\"version\":\"") + PORTICO_VERSION +
            "\",\"chatCompletions\":" + (chatEnabled() ? "true" : "false") + "}";
        return responder->respond(200, kJson, body);
    }

    if (!path.startsWith("/v1/") || !chatEnabled()) {
        // Disabled or unknown: the same bytes whoever asks, before looking at credentials.
        if (RequestObserver *observer = m_observer.load())
            observer->requestRejected(request.method, request.path, 404,
                                      QStringLiteral("not found or endpoint disabled"),
                                      request.peerString());
        return responder->respond(404, kJson, disabledBody());
    }

    if (request.method == "OPTIONS") {
        HeaderList headers = corsHeaders(request, state);
        if (headers.isEmpty() || !RequestGuard::hostAllowed(request.header("host"), state))
            return reject(request, responder,
                          ApiError::forbidden(QStringLiteral(
                              "Cross-origin requests from this origin are refused.")));
        headers +=
            HeaderList{{"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
                       {"Access-Control-Allow-Headers",
                        "authorization, content-type, x-api-key, x-portico-agent-id, "
                        "x-portico-session-key, x-openclaw-agent-id, x-openclaw-session-key"},
                       {"Access-Control-Max-Age", "600"}};
        return responder->respond(204, headers, {});
    }

    if (path == "/v1/chat/completions") {
        if (request.method != "POST")
            return reject(request, responder, methodNotAllowed("POST"), {{"Allow", "POST"}});
        return handleChat(std::move(request), responder, state);
    }
    if (path == "/v1/models" || path.startsWith("/v1/models/")) {
        if (request.method != "GET" && request.method != "HEAD")
            return reject(request, responder, methodNotAllowed("GET, HEAD"),
                          {{"Allow", "GET, HEAD"}});
        return handleModels(request, responder, state);
    }
    ApiError error;
    if (!RequestGuard::check(request, state, &error))
        return reject(request, responder, error);
    return reject(
        request, responder,
        ApiError::notFound(QStringLiteral("Unknown endpoint %1.").arg(QString::fromUtf8(path))));
}

void GatewayService::handleModels(const HttpRequest &request, HttpResponder *responder,
                                  const GatewayState &state)
{
    ApiError error;
    if (!RequestGuard::check(request, state, &error))
        return reject(request, responder, error);
    HeaderList headers = kJson + corsHeaders(request, state);
    if (request.path == "/v1/models")
        return responder->respond(200, headers, state.modelsJson);
    const QString id = QString::fromUtf8(QByteArray::fromPercentEncoding(request.path.mid(11)));
    const QJsonArray data =
        QJsonDocument::fromJson(state.modelsJson).object().value(QStringLiteral("data")).toArray();
    for (const QJsonValue &model : data) {
        if (model.toObject().value(QStringLiteral("id")).toString() == id)
            return responder->respond(
                200, headers, QJsonDocument(model.toObject()).toJson(QJsonDocument::Compact));
    }
    reject(request, responder,
           ApiError::notFound(QStringLiteral("The model '%1' does not exist.").arg(id),
                              "model_not_found"));
}

void GatewayService::handleChat(HttpRequest &&request, HttpResponder *responder,
                                const GatewayState &state)
{
    ApiError error;
    const std::optional<QString> client = RequestGuard::check(request, state, &error);
    if (!client)
        return reject(request, responder, error);
    const HeaderList cors = corsHeaders(request, state);
    if (!isJsonContentType(request.header("content-type"))) {
        error.status = 415;
        error.type = "invalid_request_error";
        error.code = "unsupported_media_type";
        error.message = QStringLiteral("Send the request body as JSON with 'Content-Type: "
                                       "application/json'.");
        return reject(request, responder, error, cors);
    }
    // Counted from here until the exchange is destroyed; over the cap the answer is 503 at once.
    if (m_inFlight->fetch_add(1, std::memory_order_relaxed) >=
        state.config.gateway.maxConcurrentRequests) {
        m_inFlight->fetch_sub(1, std::memory_order_relaxed);
        error = ApiError{503,
                         "server_error",
                         "too_many_requests",
                         QStringLiteral("Portico is answering as many requests as it is configured "
                                        "to (gateway.limits.maxConcurrentRequests); try again."),
                         {},
                         "1",
                         {}};
        return reject(request, responder, error, cors);
    }
    auto release = qScopeGuard([this] { m_inFlight->fetch_sub(1, std::memory_order_relaxed); });
    std::optional<ChatRequest> chat = ChatRequest::parse(request.body, &error);
    if (!chat)
        return reject(request, responder, error, cors);
    const std::optional<Resolution> route =
        AgentResolver::resolve(chat->model, chat->user, request.headers, state, &error);
    if (!route)
        return reject(request, responder, error, cors);
    const Provider *provider = state.provider(route->providerId);

    CallContext context;
    context.stream = chat->stream;
    context.includeUsage = chat->includeUsage;
    context.agentId = route->agentId;
    context.providerId = route->providerId;
    context.upstreamModel = route->upstreamModel;
    context.sessionKey = route->sessionKey;
    context.requestId = newRequestId();
    context.created = QDateTime::currentSecsSinceEpoch();
    context.timeouts = state.config.gateway.upstreamTimeouts;
    // The client's bytes go up as they are, or with only `model` spliced; the document is built
    // when the agent adds a system prompt, the splice fails, or the provider translates it.
    const bool renamed = route->upstreamModel != chat->model;
    if (!route->systemPrompt.isEmpty()) {
        chat->ensureBody();
        QJsonArray messages = chat->body.value(QStringLiteral("messages")).toArray();
        messages.prepend(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                     {QStringLiteral("content"), route->systemPrompt}});
        chat->body[QStringLiteral("messages")] = messages;
    } else if (!renamed) {
        context.rawBody = chat->raw;
    } else if (auto spliced = JsonSplice::replaceTopLevelValue(
                   chat->raw, "model", JsonSplice::quote(route->upstreamModel))) {
        context.rawBody = *spliced;
    }
    if (context.rawBody.isEmpty() || provider->needsBody()) {
        chat->ensureBody();
        if (renamed || !route->systemPrompt.isEmpty())
            chat->body[QStringLiteral("model")] = route->upstreamModel;
        context.body = chat->body;
    }

    RequestObserver *observer = m_observer.load();
    RequestInfo info;
    info.requestId = context.requestId;
    info.sessionKey = context.sessionKey;
    info.agentId = context.agentId;
    info.providerId = context.providerId;
    info.upstreamModel = context.upstreamModel;
    info.requestedModel = chat->model;
    info.clientName = *client;
    info.user = chat->user;
    info.peer = request.peerString();
    info.stream = chat->stream;
    info.startedMs = QDateTime::currentMSecsSinceEpoch();
    if (observer && observer->wantsContent()) {
        // The client's own bytes when they went up as sent; else the messages as sent upstream.
        if (route->systemPrompt.isEmpty()) {
            if (const auto raw = chat->rawMessages())
                info.messagesJson = raw->toByteArray();
        }
        if (info.messagesJson.isEmpty()) {
            chat->ensureBody();
            info.messages = chat->body.value(QLatin1String("messages")).toArray();
        }
    }

    HeaderList extra;
    extra.reserve(cors.size() + 2);
    extra += cors;
    extra.append({QByteArrayLiteral("x-portico-session-key"), context.sessionKey.toUtf8()});
    extra.append({QByteArrayLiteral("x-request-id"), context.requestId.toLatin1()});
    ProviderCall *call = provider->createCall(context, nullptr);
    auto *exchange = new ChatExchange(responder, call, std::move(info), std::move(extra),
                                      state.config.gateway.keepAliveCommentMs, observer);
    // The exchange holds the in-flight slot until it is destroyed.
    release.dismiss();
    exchange->holdSlot(m_inFlight);
    exchange->start();
}

} // namespace portico
