// CompletionAssembler reads common stream chunks straight off the bytes (add(QByteArray)) and
// parses the others; add(QJsonObject) always works on the parsed document. Both must assemble
// the same completion from the same chunks, chunk by chunk, and that completion must be right.
#include "CompletionAssembler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace portico;

namespace {

const QString FallbackId = QStringLiteral("fallback-id");
const QString FallbackModel = QStringLiteral("fallback-model");
constexpr qint64 FallbackCreated = 42;

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A chunk as OpenAI streams it; `top` is inserted before "choices" (e.g. a fingerprint).
QByteArray chunk(const QByteArray &choices, const QByteArray &top = {},
                 const QByteArray &id = "chatcmpl-abc")
{
    QByteArray out = "{";
    if (!id.isEmpty())
        out += R"("id":")" + id + R"(",)";
    out += R"("object":"chat.completion.chunk","created":1700000000,"model":"gpt-x",)";
    out += top;
    out += R"("choices":[)" + choices + "]}";
    return out;
}

// One choice at index 0.
QByteArray choice(const QByteArray &delta, const QByteArray &finish = "null")
{
    return R"({"index":0,"delta":)" + delta + R"(,"logprobs":null,"finish_reason":)" + finish + "}";
}

QByteArray contentChunk(const QByteArray &contentLiteral)
{
    return chunk(choice(R"({"content":)" + contentLiteral + "}"));
}

const QByteArray RoleChunk = chunk(choice(R"({"role":"assistant","content":""})"));
const QByteArray StopChunk = chunk(choice("{}", R"("stop")"));

QJsonObject message(const QJsonValue &content, const QJsonObject &more = {})
{
    QJsonObject out{{QStringLiteral("role"), QStringLiteral("assistant")},
                    {QStringLiteral("content"), content}};
    for (auto it = more.begin(); it != more.end(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

QJsonObject toolCall(const QString &id, const QString &name, const QString &arguments)
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"), QJsonObject{{QStringLiteral("name"), name},
                                                     {QStringLiteral("arguments"), arguments}}}};
}

} // namespace

class TestCompletionAssembler : public QObject
{
    Q_OBJECT

private slots:
    void bytesAndDocumentAgree_data();
    void bytesAndDocumentAgree();
};

void TestCompletionAssembler::bytesAndDocumentAgree_data()
{
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QJsonObject>("expectedMessage");
    QTest::addColumn<QString>("expectedFinish");
    QTest::addColumn<QJsonObject>("expectedUsage");
    QTest::addColumn<QString>("expectedId");
    QTest::addColumn<QJsonValue>("expectedFingerprint"); // undefined: none in the completion

    const QString id = QStringLiteral("chatcmpl-abc");
    const QJsonValue none(QJsonValue::Undefined);

    QTest::newRow("plain content")
        << QList<QByteArray>{RoleChunk, contentChunk(R"("Hel")"), contentChunk(R"("lo")"),
                             contentChunk(R"(" world")"), StopChunk}
        << message(QStringLiteral("Hello world")) << QStringLiteral("stop") << QJsonObject() << id
        << none;

    QTest::newRow("escapes") << QList<QByteArray>{RoleChunk,
                                                  contentChunk(R"("line\nbreak ")"),
                                                  contentChunk(R"("say \"hi\" ")"),
                                                  contentChunk(R"("caf\u00e9 ")"),
                                                  contentChunk(R"("\ud83d\ude00 ")"),
                                                  contentChunk(R"("back\\slash \/ tab\t")"),
                                                  contentChunk(R"("a \"}\" b \\")"),
                                                  StopChunk}
                             << message(QStringLiteral(
                                    "line\nbreak say \"hi\" caf\u00e9 \U0001F600 back\\slash / "
                                    "tab\ta \"}\" b \\"))
                             << QStringLiteral("stop") << QJsonObject() << id << none;

    QTest::newRow("raw UTF-8")
        << QList<QByteArray>{RoleChunk, contentChunk("\"caf\xc3\xa9 \xf0\x9f\x98\x80\""),
                             contentChunk("\" \xe6\x97\xa5\xe6\x9c\xac\""), StopChunk}
        << message(QStringLiteral("caf\u00e9 \U0001F600 \u65e5\u672c")) << QStringLiteral("stop")
        << QJsonObject() << id << none;

    QTest::newRow("empty and null content")
        << QList<QByteArray>{RoleChunk,
                             contentChunk("null"),
                             chunk(choice("{}")),
                             contentChunk(R"("x")"),
                             contentChunk(R"("")"),
                             chunk(choice(R"({"content":null})", R"("stop")"))}
        << message(QStringLiteral("x")) << QStringLiteral("stop") << QJsonObject() << id << none;

    QTest::newRow("only null content")
        << QList<QByteArray>{chunk(choice(R"({"role":"assistant","content":null})")),
                             contentChunk("null"), StopChunk}
        << message(QString()) << QStringLiteral("stop") << QJsonObject() << id << none;

    QTest::newRow("finish reason with the last content")
        << QList<QByteArray>{RoleChunk, contentChunk(R"("Hi")"),
                             chunk(choice(R"({"content":"!"})", R"("length")"))}
        << message(QStringLiteral("Hi!")) << QStringLiteral("length") << QJsonObject() << id
        << none;

    const QJsonObject usage{{QStringLiteral("prompt_tokens"), 5},
                            {QStringLiteral("completion_tokens"), 2},
                            {QStringLiteral("total_tokens"), 7}};
    // stream_options.include_usage: "usage":null on every chunk, then a chunk without choices.
    QTest::newRow("usage chunk")
        << QList<
               QByteArray>{chunk(choice(R"({"role":"assistant","content":""})"),
                                 R"("usage":null,)"),
                           chunk(choice(R"({"content":"ok"})"), R"("usage":null,)"),
                           chunk(choice("{}", R"("stop")"), R"("usage":null,)"),
                           R"({"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1700000000,"model":"gpt-x","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})"}
        << message(QStringLiteral("ok")) << QStringLiteral("stop") << usage << id << none;

    QTest::newRow("usage with the finish reason")
        << QList<
               QByteArray>{RoleChunk, contentChunk(R"("ok")"),
                           R"({"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1700000000,"model":"gpt-x","choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})"}
        << message(QStringLiteral("ok")) << QStringLiteral("stop") << usage << id << none;

    const QJsonArray calls{
        toolCall(QStringLiteral("call_1"), QStringLiteral("get_weather"),
                 QStringLiteral(R"({"city":"Paris"})")),
        toolCall(QStringLiteral("call_2"), QStringLiteral("get_time"), QStringLiteral("{}"))};
    const QList<QByteArray> toolChunks{
        chunk(choice(
            R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]})")),
        chunk(choice(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]})")),
        chunk(choice(R"({"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Paris\"}"}}]})")),
        chunk(choice(
            R"({"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]})")),
        chunk(choice("{}", R"("tool_calls")"))};
    QTest::newRow("tool calls")
        << QList<QByteArray>{chunk(choice(R"({"role":"assistant","content":null})"))} + toolChunks
        << message(QJsonValue::Null, {{QStringLiteral("tool_calls"), calls}})
        << QStringLiteral("tool_calls") << QJsonObject() << id << none;
    // The role chunk has no content: only the (byte-read) content chunks make it a string.
    QTest::newRow("content, then tool calls")
        << QList<QByteArray>{chunk(choice(R"({"role":"assistant","content":null})")),
                             contentChunk(R"("Let me ")"), contentChunk(R"("check.")")} +
               toolChunks
        << message(QStringLiteral("Let me check."), {{QStringLiteral("tool_calls"), calls}})
        << QStringLiteral("tool_calls") << QJsonObject() << id << none;

    QTest::newRow("reasoning")
        << QList<QByteArray>{chunk(choice(
                                 R"({"role":"assistant","content":null,"reasoning_content":""})")),
                             chunk(choice(R"({"reasoning_content":"Think"})")),
                             chunk(choice(R"({"content":null,"reasoning_content":"ing\n"})")),
                             chunk(choice(R"({"content":"Answer","reasoning_content":null})")),
                             contentChunk(R"(".")"),
                             StopChunk}
        << message(QStringLiteral("Answer."),
                   {{QStringLiteral("reasoning_content"), QStringLiteral("Thinking\n")}})
        << QStringLiteral("stop") << QJsonObject() << id << none;

    // n = 2: only index 0 is assembled, whether alone in a chunk or beside index 1.
    QTest::newRow("two choices")
        << QList<
               QByteArray>{chunk(
                               R"({"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null},)"
                               R"({"index":1,"delta":{"role":"assistant","content":""},"finish_reason":null})"),
                           chunk(R"({"index":0,"delta":{"content":"A"},"finish_reason":null},)"
                                 R"({"index":1,"delta":{"content":"B"},"finish_reason":null})"),
                           chunk(R"({"index":1,"delta":{"content":"BB"},"finish_reason":null})"),
                           chunk(R"({"index":0,"delta":{"content":"AA"},"finish_reason":null})"),
                           chunk(R"({"index":1,"delta":{"content":"B!"},"finish_reason":"stop"})"),
                           chunk(R"({"index":0,"delta":{},"finish_reason":"length"})")}
        << message(QStringLiteral("AAA")) << QStringLiteral("length") << QJsonObject() << id
        << none;

    const QByteArray fingerprint = R"("system_fingerprint":"fp_44709d6fcb",)";
    QTest::newRow("system fingerprint")
        << QList<QByteArray>{chunk(choice(R"({"role":"assistant","content":""})"), fingerprint),
                             chunk(choice(R"({"content":"fp"})"), fingerprint),
                             chunk(choice("{}", R"("stop")"), fingerprint)}
        << message(QStringLiteral("fp")) << QStringLiteral("stop") << QJsonObject() << id
        << QJsonValue(QStringLiteral("fp_44709d6fcb"));
    QTest::newRow("fingerprint from the second chunk on")
        << QList<QByteArray>{RoleChunk, chunk(choice(R"({"content":"fp"})"), fingerprint),
                             chunk(choice("{}", R"("stop")"), fingerprint)}
        << message(QStringLiteral("fp")) << QStringLiteral("stop") << QJsonObject() << id
        << QJsonValue(QStringLiteral("fp_44709d6fcb"));
    // The role chunk says null, the content chunks name it: the document path keeps the last.
    QTest::newRow("fingerprint null, then named")
        << QList<QByteArray>{chunk(choice(R"({"role":"assistant","content":""})"),
                                   R"("system_fingerprint":null,)"),
                             chunk(choice(R"({"content":"fp"})"), fingerprint),
                             chunk(choice("{}", R"("stop")"), fingerprint)}
        << message(QStringLiteral("fp")) << QStringLiteral("stop") << QJsonObject() << id
        << QJsonValue(QStringLiteral("fp_44709d6fcb"));

    QTest::newRow("fingerprint changes, then null")
        << QList<QByteArray>{chunk(choice(R"({"role":"assistant","content":""})"),
                                   R"("system_fingerprint":"fp_1",)"),
                             chunk(choice(R"({"content":"fp"})"),
                                   R"("system_fingerprint":"fp_2",)"),
                             chunk(choice("{}", R"("stop")"), R"("system_fingerprint":null,)")}
        << message(QStringLiteral("fp")) << QStringLiteral("stop") << QJsonObject() << id
        << QJsonValue(QJsonValue::Null);
    // An empty finish reason after a real one: the last one counts (and reads as none).
    QTest::newRow("empty finish reason last")
        << QList<QByteArray>{RoleChunk, chunk(choice(R"({"content":"x"})", R"("stop")")),
                             chunk(choice("{}", R"("")"))}
        << message(QStringLiteral("x")) << QString() << QJsonObject() << id << none;

    QTest::newRow("whitespace and key order")
        << QList<
               QByteArray>{"{\n  \"model\" : \"gpt-x\",\n  \"choices\" : [ {\n    "
                           "\"finish_reason\" : null ,\n"
                           "    \"delta\" : { \"content\" : \"\" , \"role\" : \"assistant\" },\n"
                           "    \"index\" : 0\n  } ],\n  \"created\" : 1700000000,\n"
                           "  \"object\" : \"chat.completion.chunk\",\n  \"id\" : "
                           "\"chatcmpl-ws\"\n}",
                           "{ \"choices\" : [ { \"delta\" : { \"content\" : \"a b\" } , \"index\" "
                           ": 0 } ] ,"
                           " \"id\" : \"chatcmpl-ws\" , \"model\" : \"gpt-x\" }",
                           "{\"model\":\"gpt-x\",\"choices\":[\r\n\t{\"logprobs\":null,\"delta\":"
                           "\r\n\t{"
                           "\"content\":\" "
                           "c\"},\"finish_reason\":null,\"index\":0}\r\n],\"id\":\"chatcmpl-ws\"}",
                           "{ \"id\" : \"chatcmpl-ws\", \"choices\" : [ { \"index\" : 0 , "
                           "\"delta\" : { } , "
                           "\"finish_reason\" : \"stop\" } ] , \"usage\" : null }  "}
        << message(QStringLiteral("a b c")) << QStringLiteral("stop") << QJsonObject()
        << QStringLiteral("chatcmpl-ws") << none;

    QTest::newRow("first chunk without id")
        << QList<QByteArray>{chunk(choice(R"({"role":"assistant","content":""})"), {}, {}),
                             chunk(choice(R"({"content":"late"})"), {}, "chatcmpl-late"),
                             chunk(choice(R"({"content":" id"})"), {}, "chatcmpl-late"),
                             chunk(choice("{}", R"("stop")"), {}, "chatcmpl-late")}
        << message(QStringLiteral("late id")) << QStringLiteral("stop") << QJsonObject()
        << QStringLiteral("chatcmpl-late") << none;
    QTest::newRow("no id at all")
        << QList<QByteArray>{chunk(choice(R"({"role":"assistant","content":""})"), {}, {}),
                             chunk(choice(R"({"content":"anon"})"), {}, {}),
                             chunk(choice("{}", R"("stop")"), {}, {})}
        << message(QStringLiteral("anon")) << QStringLiteral("stop") << QJsonObject() << FallbackId
        << none;

    QTest::newRow("no index, logprobs")
        << QList<
               QByteArray>{RoleChunk,
                           chunk(
                               R"({"delta":{"content":"x"},"logprobs":{"content":[{"token":"x","logprob":-0.5,"bytes":[120],"top_logprobs":[]}]},"finish_reason":null})"),
                           chunk(R"({"delta":{},"finish_reason":"stop"})")}
        << message(QStringLiteral("x")) << QStringLiteral("stop") << QJsonObject() << id << none;
}

void TestCompletionAssembler::bytesAndDocumentAgree()
{
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QJsonObject, expectedMessage);
    QFETCH(QString, expectedFinish);
    QFETCH(QJsonObject, expectedUsage);
    QFETCH(QString, expectedId);
    QFETCH(QJsonValue, expectedFingerprint);

    CompletionAssembler bytes;    // add(QByteArray): common chunks read off the bytes
    CompletionAssembler document; // add(QJsonObject): every chunk parsed
    QVERIFY(bytes.isEmpty());
    for (qsizetype i = 0; i < chunks.size(); ++i) {
        QJsonParseError error;
        const QJsonDocument parsed = QJsonDocument::fromJson(chunks[i], &error);
        QVERIFY2(
            error.error == QJsonParseError::NoError && parsed.isObject(),
            qPrintable(
                QStringLiteral("chunk %1 is not valid JSON: %2").arg(i).arg(error.errorString())));
        bytes.add(chunks[i]);
        document.add(parsed.object());
        // The same state after every chunk, not only at the end.
        const QByteArray where = "after chunk " + QByteArray::number(i);
        const QByteArray messages =
            where + ": " + compact(bytes.message()) + " vs " + compact(document.message());
        QVERIFY2(compact(bytes.message()) == compact(document.message()), messages.constData());
        QVERIFY2(bytes.finishReason() == document.finishReason(), where.constData());
        QVERIFY2(compact(bytes.usage()) == compact(document.usage()), where.constData());
    }
    QCOMPARE(bytes.isEmpty(), document.isEmpty());
    QVERIFY(!bytes.isEmpty());
    QCOMPARE(bytes.completionJson(FallbackId, FallbackModel, FallbackCreated),
             document.completionJson(FallbackId, FallbackModel, FallbackCreated));

    // And what both agree on is right.
    QCOMPARE(compact(bytes.message()), compact(expectedMessage));
    QCOMPARE(bytes.finishReason(), expectedFinish);
    QCOMPARE(compact(bytes.usage()), compact(expectedUsage));
    const QJsonObject completion =
        QJsonDocument::fromJson(bytes.completionJson(FallbackId, FallbackModel, FallbackCreated))
            .object();
    QCOMPARE(completion.value(QStringLiteral("id")).toString(), expectedId);
    QCOMPARE(completion.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-x"));
    QCOMPARE(completion.value(QStringLiteral("created")).toInteger(), qint64(1700000000));
    QCOMPARE(completion.value(QStringLiteral("object")).toString(),
             QStringLiteral("chat.completion"));
    QCOMPARE(completion.value(QStringLiteral("system_fingerprint")), expectedFingerprint);
    const QJsonObject first =
        completion.value(QStringLiteral("choices")).toArray().at(0).toObject();
    QCOMPARE(compact(first.value(QStringLiteral("message")).toObject()), compact(expectedMessage));
    QCOMPARE(first.value(QStringLiteral("finish_reason")).toString(), expectedFinish);
}

QTEST_GUILESS_MAIN(TestCompletionAssembler)
#include "tst_completionassembler.moc"
