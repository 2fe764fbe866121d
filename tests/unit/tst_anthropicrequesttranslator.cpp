// The rows below build QByteArrays with '+'; QStringBuilder's lazy result would not match the
// QByteArray test columns.
#undef QT_USE_QSTRINGBUILDER

#include "AnthropicRequestTranslator.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace portico;

namespace {

QJsonObject object(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        qFatal("bad test JSON: %s in %s", qPrintable(error.errorString()), json.constData());
    return doc.object();
}

QJsonObject fixture(const char *name)
{
    QFile file(QStringLiteral(PORTICO_ANTHROPIC_FIXTURES "/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return object(file.readAll());
}

QString pretty(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

void row(const char *name, const QByteArray &request, bool stream, const QByteArray &expected)
{
    QTest::newRow(name) << request << stream << expected;
}

} // namespace

class tst_AnthropicRequestTranslator : public QObject
{
    Q_OBJECT
private slots:
    void translates_data();
    void translates();
    void rejects_data();
    void rejects();
    void fixtureRequest();
    void defaultMaxTokensIsConfigurable();
};

// The upstream model is "m" and the default max tokens 4096 unless a row says otherwise.
void tst_AnthropicRequestTranslator::translates_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray hi = R"("messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}])";
    const QByteArray userHi = R"("messages":[{"role":"user","content":"hi"}])";

    row("minimal", "{" + userHi + "}", false, R"({"model":"m","max_tokens":4096,)" + hi + "}");
    row("stream flag", "{" + userHi + R"(,"stream":true})", true,
        R"({"model":"m","max_tokens":4096,"stream":true,)" + hi + "}");
    row("system and developer joined",
        R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"},
              {"role":"developer","content":[{"type":"text","text":"Use SI units."},
               {"type":"text","text":"No emoji."}]}]})",
        false,
        R"({"model":"m","max_tokens":4096,"system":"Be brief.\n\nUse SI units.\n\nNo emoji.",)" +
            hi + "}");
    row("system with cache_control keeps blocks",
        R"({"messages":[{"role":"system","content":[{"type":"text","text":"Long doc",
              "cache_control":{"type":"ephemeral"}}]},{"role":"system","content":"Short"},
              {"role":"user","content":"hi"}]})",
        false,
        R"({"model":"m","max_tokens":4096,"system":[{"type":"text","text":"Long doc",
              "cache_control":{"type":"ephemeral"}},{"type":"text","text":"Short"}],)" +
            hi + "}");
    row("consecutive turns merged",
        R"({"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},
              {"role":"assistant","content":"c"},{"role":"assistant","content":[{"type":"text",
              "text":"d"},{"type":"refusal","refusal":"e"}]},{"role":"user","content":"f"}]})",
        false, R"({"model":"m","max_tokens":4096,"messages":[
              {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
              {"role":"assistant","content":[{"type":"text","text":"c"},{"type":"text","text":"d"},
               {"type":"text","text":"e"}]},
              {"role":"user","content":[{"type":"text","text":"f"}]}]})");
    row("empty content dropped",
        R"({"messages":[{"role":"user","content":""},{"role":"assistant","content":null},
              {"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"hi"}]}]})",
        false, R"({"model":"m","max_tokens":4096,)" + hi + "}");
    row("images", R"({"messages":[{"role":"user","content":[
              {"type":"image_url","image_url":{"url":"data:image/JPEG;base64,/9j/4AAQ"}},
              {"type":"image_url","image_url":"data:image/webp;charset=x;base64,UklGRg=="},
              {"type":"image_url","image_url":{"url":"http://example.com/a.gif","detail":"high"}},
              {"type":"text","text":"what?"}]}]})",
        false, R"({"model":"m","max_tokens":4096,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
              {"type":"image","source":{"type":"base64","media_type":"image/webp","data":"UklGRg=="}},
              {"type":"image","source":{"type":"url","url":"http://example.com/a.gif"}},
              {"type":"text","text":"what?"}]}]})");
    row("max_tokens", "{" + userHi + R"(,"max_tokens":77})", false,
        R"({"model":"m","max_tokens":77,)" + hi + "}");
    row("max_completion_tokens wins",
        "{" + userHi + R"(,"max_tokens":77,"max_completion_tokens":88})", false,
        R"({"model":"m","max_tokens":88,)" + hi + "}");
    row("sampling and user",
        "{" + userHi + R"(,"temperature":0.5,"top_p":1,"n":1,"user":"u1","seed":3})", false,
        R"({"model":"m","max_tokens":4096,"temperature":0.5,"top_p":1,
              "metadata":{"user_id":"u1"},)" +
            hi + "}");
    row("stop string", "{" + userHi + R"(,"stop":"END"})", false,
        R"({"model":"m","max_tokens":4096,"stop_sequences":["END"],)" + hi + "}");
    row("stop array", "{" + userHi + R"(,"stop":["a","b"]})", false,
        R"({"model":"m","max_tokens":4096,"stop_sequences":["a","b"],)" + hi + "}");
    row("stop null", "{" + userHi + R"(,"stop":null})", false,
        R"({"model":"m","max_tokens":4096,)" + hi + "}");

    const QByteArray tool =
        R"("tools":[{"type":"function","function":{"name":"f","description":"does f",
        "parameters":{"type":"object","properties":{"x":{"type":"integer"}}}}}])";
    const QByteArray anthropicTool = R"("tools":[{"name":"f","description":"does f",
        "input_schema":{"type":"object","properties":{"x":{"type":"integer"}}}}])";
    row("tools, no tool_choice", "{" + userHi + "," + tool + "}", false,
        R"({"model":"m","max_tokens":4096,)" + hi + "," + anthropicTool + "}");
    row("tool without parameters",
        "{" + userHi + R"(,"tools":[{"type":"function","function":{"name":"g"}}]})", false,
        R"({"model":"m","max_tokens":4096,)" + hi +
            R"(,"tools":[{"name":"g","input_schema":{"type":"object"}}]})");
    const struct
    {
        const char *name;
        QByteArray openai;
        QByteArray anthropic;
    } choices[] = {
        {"tool_choice auto", R"("auto")", R"({"type":"auto"})"},
        {"tool_choice none", R"("none")", R"({"type":"none"})"},
        {"tool_choice required", R"("required")", R"({"type":"any"})"},
        {"tool_choice named", R"({"type":"function","function":{"name":"f"}})",
         R"({"type":"tool","name":"f"})"},
    };
    for (const auto &c : choices)
        row(c.name, "{" + userHi + "," + tool + R"(,"tool_choice":)" + c.openai + "}", false,
            R"({"model":"m","max_tokens":4096,)" + hi + "," + anthropicTool + R"(,"tool_choice":)" +
                c.anthropic + "}");
    row("parallel_tool_calls false", "{" + userHi + "," + tool + R"(,"parallel_tool_calls":false})",
        false,
        R"({"model":"m","max_tokens":4096,)" + hi + "," + anthropicTool +
            R"(,"tool_choice":{"type":"auto","disable_parallel_tool_use":true}})");
    row("parallel_tool_calls false, required",
        "{" + userHi + "," + tool + R"(,"parallel_tool_calls":false,"tool_choice":"required"})",
        false,
        R"({"model":"m","max_tokens":4096,)" + hi + "," + anthropicTool +
            R"(,"tool_choice":{"type":"any","disable_parallel_tool_use":true}})");
    row("tool_choice auto without tools dropped",
        "{" + userHi + R"(,"tool_choice":"auto","tools":[]})", false,
        R"({"model":"m","max_tokens":4096,)" + hi + "}");

    row("tool round trip", R"({"messages":[{"role":"user","content":"weather?"},
              {"role":"assistant","content":null,"tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"w","arguments":"{\"c\":\"Oslo\"}"}},
               {"id":"call_2","type":"function","function":{"name":"t","arguments":""}}]},
              {"role":"tool","tool_call_id":"call_1","content":"cold"},
              {"role":"user","content":"and?"},
              {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"noon"}]},
              {"role":"tool","tool_call_id":"call_3","content":""}]})",
        false, R"({"model":"m","max_tokens":4096,"messages":[
              {"role":"user","content":[{"type":"text","text":"weather?"}]},
              {"role":"assistant","content":[
               {"type":"tool_use","id":"call_1","name":"w","input":{"c":"Oslo"}},
               {"type":"tool_use","id":"call_2","name":"t","input":{}}]},
              {"role":"user","content":[
               {"type":"tool_result","tool_use_id":"call_1","content":[{"type":"text","text":"cold"}]},
               {"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"noon"}]},
               {"type":"tool_result","tool_use_id":"call_3"},
               {"type":"text","text":"and?"}]}]})");
}

void tst_AnthropicRequestTranslator::translates()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, stream);
    QFETCH(QByteArray, expected);

    QJsonObject out;
    ApiError error;
    QVERIFY2(AnthropicRequestTranslator::translate(
                 object(request), {QStringLiteral("m"), 4096, stream}, &out, &error),
             qPrintable(error.message));
    const QJsonObject want = object(expected);
    QVERIFY2(out == want,
             qPrintable(QStringLiteral("got:\n%1\nwanted:\n%2").arg(pretty(out), pretty(want))));
}

void tst_AnthropicRequestTranslator::rejects_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QString>("param");

    const QByteArray user = R"({"role":"user","content":"hi"})";
    const auto withUser = [&](const QByteArray &rest) {
        return R"({"messages":[)" + user + "]," + rest + "}";
    };
    QTest::newRow("no messages") << QByteArray("{}") << QStringLiteral("messages");
    QTest::newRow("empty messages")
        << QByteArray(R"({"messages":[]})") << QStringLiteral("messages");
    QTest::newRow("only system") << QByteArray(R"({"messages":[{"role":"system","content":"x"}]})")
                                 << QStringLiteral("messages");
    QTest::newRow("message not object")
        << QByteArray(R"({"messages":["hi"]})") << QStringLiteral("messages[0]");
    QTest::newRow("unknown role") << QByteArray(
                                         R"({"messages":[{"role":"function","content":"x"}]})")
                                  << QStringLiteral("messages[0].role");
    QTest::newRow("content not string or array")
        << QByteArray(R"({"messages":[{"role":"user","content":5}]})")
        << QStringLiteral("messages[0].content");
    QTest::newRow("unsupported part")
        << QByteArray(R"({"messages":[{"role":"user","content":[{"type":"text","text":"x"},
              {"type":"input_audio","input_audio":{}}]}]})")
        << QStringLiteral("messages[0].content[1].type");
    QTest::newRow("image in system")
        << QByteArray(R"({"messages":[{"role":"system","content":[{"type":"image_url",
              "image_url":{"url":"https://x/y.png"}}]},{"role":"user","content":"hi"}]})")
        << QStringLiteral("messages[0].content[0].type");
    QTest::newRow("image media type")
        << QByteArray(R"({"messages":[{"role":"user","content":[{"type":"image_url",
              "image_url":{"url":"data:image/tiff;base64,AAAA"}}]}]})")
        << QStringLiteral("messages[0].content[0].image_url.url");
    QTest::newRow("image not base64")
        << QByteArray(R"({"messages":[{"role":"user","content":[{"type":"image_url",
              "image_url":{"url":"data:image/png,rawbytes"}}]}]})")
        << QStringLiteral("messages[0].content[0].image_url.url");
    QTest::newRow("image scheme")
        << QByteArray(R"({"messages":[{"role":"user","content":[{"type":"image_url",
              "image_url":{"url":"file:///etc/passwd"}}]}]})")
        << QStringLiteral("messages[0].content[0].image_url.url");
    const QByteArray call = R"({"role":"assistant","tool_calls":[{"id":"c1","type":"function",
        "function":{"name":"f","arguments":%1}}]})";
    QTest::newRow("arguments not JSON")
        << R"({"messages":[)" + user + "," + QByteArray(call).replace("%1", R"("{\"a\":")") + "]}"
        << QStringLiteral("messages[1].tool_calls[0].function.arguments");
    QTest::newRow("arguments JSON array")
        << R"({"messages":[)" + user + "," + QByteArray(call).replace("%1", R"("[1,2]")") + "]}"
        << QStringLiteral("messages[1].tool_calls[0].function.arguments");
    QTest::newRow("arguments a number")
        << R"({"messages":[)" + user + "," + QByteArray(call).replace("%1", "42") + "]}"
        << QStringLiteral("messages[1].tool_calls[0].function.arguments");
    QTest::newRow("tool call without id")
        << R"({"messages":[)" + user +
               R"(,{"role":"assistant","tool_calls":[{"function":{"name":"f"}}]}]})"
        << QStringLiteral("messages[1].tool_calls[0].id");
    QTest::newRow("tool message without id")
        << R"({"messages":[)" + user + R"(,{"role":"tool","content":"x"}]})"
        << QStringLiteral("messages[1].tool_call_id");
    QTest::newRow("max_tokens zero")
        << withUser(R"("max_tokens":0)") << QStringLiteral("max_tokens");
    QTest::newRow("max_tokens fraction")
        << withUser(R"("max_tokens":1.5)") << QStringLiteral("max_tokens");
    QTest::newRow("max_completion_tokens string")
        << withUser(R"("max_completion_tokens":"9")") << QStringLiteral("max_completion_tokens");
    QTest::newRow("temperature string")
        << withUser(R"("temperature":"hot")") << QStringLiteral("temperature");
    QTest::newRow("top_p negative") << withUser(R"("top_p":-1)") << QStringLiteral("top_p");
    QTest::newRow("n 2") << withUser(R"("n":2)") << QStringLiteral("n");
    QTest::newRow("stop number") << withUser(R"("stop":5)") << QStringLiteral("stop");
    QTest::newRow("stop array of numbers")
        << withUser(R"("stop":["a",1])") << QStringLiteral("stop");
    QTest::newRow("tools not array") << withUser(R"("tools":{})") << QStringLiteral("tools");
    QTest::newRow("tool type") << withUser(R"("tools":[{"type":"retrieval"}])")
                               << QStringLiteral("tools[0].type");
    QTest::newRow("tool name") << withUser(R"("tools":[{"type":"function","function":{}}])")
                               << QStringLiteral("tools[0].function.name");
    QTest::newRow("tool parameters")
        << withUser(R"("tools":[{"type":"function","function":{"name":"f","parameters":[]}}])")
        << QStringLiteral("tools[0].function.parameters");
    const QByteArray tools = R"("tools":[{"type":"function","function":{"name":"f"}}],)";
    QTest::newRow("tool_choice word")
        << withUser(tools + R"("tool_choice":"sometimes")") << QStringLiteral("tool_choice");
    QTest::newRow("tool_choice unnamed") << withUser(tools + R"("tool_choice":{"type":"function"})")
                                         << QStringLiteral("tool_choice");
    QTest::newRow("tool_choice required without tools")
        << withUser(R"("tool_choice":"required")") << QStringLiteral("tool_choice");
}

void tst_AnthropicRequestTranslator::rejects()
{
    QFETCH(QByteArray, request);
    QFETCH(QString, param);

    QJsonObject out;
    ApiError error;
    QVERIFY(!AnthropicRequestTranslator::translate(
        object(request), {QStringLiteral("m"), 4096, false}, &out, &error));
    QCOMPARE(error.status, 400);
    QCOMPARE(error.type, QByteArray("invalid_request_error"));
    QCOMPARE(error.param, param);
    QVERIFY2(error.message.contains(QLatin1Char('\'') + param + QLatin1Char('\'')),
             qPrintable(error.message));
    QVERIFY(out.isEmpty());
}

void tst_AnthropicRequestTranslator::fixtureRequest()
{
    QJsonObject out;
    ApiError error;
    QVERIFY2(AnthropicRequestTranslator::translate(
                 fixture("request.openai.json"), {QStringLiteral("claude-sonnet-4-5"), 4096, true},
                 &out, &error),
             qPrintable(error.message));
    const QJsonObject want = fixture("request.anthropic.json");
    QVERIFY2(out == want,
             qPrintable(QStringLiteral("got:\n%1\nwanted:\n%2").arg(pretty(out), pretty(want))));
}

void tst_AnthropicRequestTranslator::defaultMaxTokensIsConfigurable()
{
    const QJsonObject request = object(R"({"model":"client-model",
                                           "messages":[{"role":"user","content":"hi"}]})");
    QJsonObject out;
    ApiError error;
    QVERIFY(AnthropicRequestTranslator::translate(request, {QString(), 123, false}, &out, &error));
    QCOMPARE(out.value(QLatin1String("max_tokens")).toInteger(), 123);
    // Without an upstream model the request's own model is used.
    QCOMPARE(out.value(QLatin1String("model")).toString(), QStringLiteral("client-model"));
    QVERIFY(!out.contains(QLatin1String("stream")));

    QVERIFY(!AnthropicRequestTranslator::translate(
        object(R"({"messages":[{"role":"user","content":"hi"}]})"), {QString(), 123, false}, &out,
        &error));
    QCOMPARE(error.param, QStringLiteral("model"));
}

QTEST_GUILESS_MAIN(tst_AnthropicRequestTranslator)
#include "tst_anthropicrequesttranslator.moc"
