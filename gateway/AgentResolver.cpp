#include "AgentResolver.h"

#include "ThreadRandom.h"

#include <QCryptographicHash>
#include <QRegularExpression>

namespace portico::AgentResolver {

namespace {

const QString kMain = QStringLiteral("main");

// `explicitModel` (from a request that picked the agent by header) wins over the agent's own
// model; `fallbackModel` (the requested model, when a route or the fallback picked the agent)
// is used only when the agent names none.
std::optional<Resolution> forAgent(const QString &agentId, const QString &explicitModel,
                                   const QString &fallbackModel, const GatewayState &state,
                                   ApiError *error)
{
    Resolution r;
    r.agentId = agentId;
    if (const AgentConfig *agent = state.config.agent(agentId)) {
        r.providerId = agent->provider;
        r.upstreamModel = !explicitModel.isEmpty()  ? explicitModel
                          : !agent->model.isEmpty() ? agent->model
                                                    : fallbackModel;
        r.systemPrompt = agent->systemPrompt;
    } else if (agentId == kMain) {
        r.providerId = QStringLiteral("diagnostic");
        r.upstreamModel = !explicitModel.isEmpty()   ? explicitModel
                          : !fallbackModel.isEmpty() ? fallbackModel
                                                     : QStringLiteral("portico-diagnostic");
    } else {
        *error = ApiError::notFound(
            QStringLiteral("The agent '%1' does not exist. GET /v1/models lists the agents.")
                .arg(agentId),
            "model_not_found");
        error->param = QStringLiteral("model");
        return std::nullopt;
    }
    if (r.upstreamModel.isEmpty()) {
        if (const Provider *p = state.provider(r.providerId); p && !p->models().isEmpty())
            r.upstreamModel = p->models().constFirst();
    }
    return r;
}

QString deriveSessionKey(const QString &agentId, const QString &user)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(agentId.toUtf8());
    hash.addData(QByteArrayView("\0", 1));
    hash.addData(user.toUtf8());
    return QStringLiteral("user-") + QString::fromLatin1(hash.result().toHex().left(32));
}

// "req-" and 32 random hex digits. Written out by hand: QString::arg() twice cost more than the
// rest of the resolution.
QString requestSessionKey()
{
    quint64 random[2];
    threadRandom().fillRange(random);
    static constexpr char16_t digits[] = u"0123456789abcdef";
    QString key(4 + 32, Qt::Uninitialized);
    char16_t *out = reinterpret_cast<char16_t *>(key.data());
    for (const char16_t c : {u'r', u'e', u'q', u'-'})
        *out++ = c;
    for (const quint64 word : random) {
        for (int shift = 60; shift >= 0; shift -= 4)
            *out++ = digits[(word >> shift) & 0xf];
    }
    return key;
}

} // namespace

QString agentFromModel(const QString &model)
{
    static const QStringList prefixes = {QStringLiteral("agent:"), QStringLiteral("portico:"),
                                         QStringLiteral("portico/"), QStringLiteral("openclaw:"),
                                         QStringLiteral("openclaw/")};
    for (const QString &prefix : prefixes) {
        // The first letter rules out most models ("gpt-4o", "llama3") before a comparison.
        if (!model.isEmpty() && model.front() == prefix.front() && model.startsWith(prefix))
            return model.mid(prefix.size());
    }
    return {};
}

bool globMatch(QStringView pattern, QStringView text)
{
    // Iterative '*' / '?' matching with backtracking to the last star.
    qsizetype p = 0, t = 0, star = -1, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == u'?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == u'*') {
            star = p++;
            mark = t;
        } else if (star >= 0) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

std::optional<Resolution> resolve(const QString &model, const QString &user,
                                  const HeaderList &headers, const GatewayState &state,
                                  ApiError *error)
{
    std::optional<Resolution> r;
    QByteArray headerAgent = headerValue(headers, "x-portico-agent-id");
    if (headerAgent.isEmpty())
        headerAgent = headerValue(headers, "x-openclaw-agent-id");
    const QString prefixed = agentFromModel(model);

    if (!prefixed.isEmpty()) {
        r = forAgent(prefixed, {}, {}, state, error);
    } else if (!headerAgent.isEmpty()) {
        r = forAgent(QString::fromUtf8(headerAgent), model, {}, state, error);
    } else if (state.config.agent(model)) {
        r = forAgent(model, {}, {}, state, error);
    } else {
        for (const RouteConfig &route : state.config.routes) {
            if (!globMatch(route.match, model))
                continue;
            if (!route.agent.isEmpty()) {
                r = forAgent(route.agent, {}, model, state, error);
            } else {
                r = Resolution{{}, route.provider, model, {}, {}};
            }
            break;
        }
        if (!r && error->message.isEmpty()) {
            QStringList ids = state.providers.keys();
            ids.sort();
            for (const QString &id : ids) {
                if (state.providers.value(id)->models().contains(model)) {
                    r = Resolution{{}, id, model, {}, {}};
                    break;
                }
            }
        }
        if (!r && error->message.isEmpty())
            r = forAgent(kMain, {}, model, state, error);
    }
    if (!r)
        return std::nullopt;
    if (!state.provider(r->providerId)) {
        *error = ApiError::notFound(
            QStringLiteral("The provider '%1' is not configured.").arg(r->providerId),
            "model_not_found");
        return std::nullopt;
    }

    QByteArray key = headerValue(headers, "x-portico-session-key");
    if (key.isEmpty())
        key = headerValue(headers, "x-openclaw-session-key");
    if (!key.isEmpty()) {
        static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9._:@/+=-]{1,128}$"));
        const QString text = QString::fromUtf8(key);
        if (!valid.match(text).hasMatch()) {
            *error = ApiError::invalidRequest(
                QStringLiteral("The session key must be 1 to 128 characters from A-Z a-z 0-9 and "
                               "._:@/+=-"),
                QStringLiteral("x-portico-session-key"));
            return std::nullopt;
        }
        r->sessionKey = text;
    } else if (!user.isEmpty()) {
        r->sessionKey = deriveSessionKey(r->agentId.isEmpty() ? r->providerId : r->agentId, user);
    } else {
        r->sessionKey = requestSessionKey();
    }
    return r;
}

} // namespace portico::AgentResolver
