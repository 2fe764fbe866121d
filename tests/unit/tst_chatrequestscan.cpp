// ChatRequest::parse() reads the common request off its bytes (ChatRequestScan) and leaves the
// rest to QJsonDocument (parseDocument()). The two must agree on every body: same verdict, same
// fields, same document, same error. Each row says whether the byte path must answer itself.
#include "ChatRequest.h"
#include "ChatRequestScan.h"
#include "JsonScanner.h"
#include "JsonSplice.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QTest>

using portico::ApiError;
using portico::ChatRequest;

namespace {
const QByteArray kMessages = R"("messages":[{"role":"user","content":"hi"}])";

QByteArray body(const QByteArray &fields)
{
    QByteArray out = "{\"model\":\"m\"," + kMessages;
    if (!fields.isEmpty())
        out += ',' + fields;
    return out + '}';
}
} // namespace

class TestChatRequestScan : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithDocument_data();
    void agreesWithDocument();
    void buildsTheDocumentOnDemand();
    void readsAsJsonAgreesWithDocument();
    void readsAsJsonRepairs_data();
    void readsAsJsonRepairs();
};

void TestChatRequestScan::agreesWithDocument_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("fast"); // the byte path answers (the body is valid and plain)

    // Valid and common: the byte path takes them.
    QTest::newRow("minimal") << body({}) << true;
    QTest::newRow("stream with usage")
        << body(R"("stream":true,"stream_options":{"include_usage":true})") << true;
    QTest::newRow("usage without stream")
        << body(R"("stream":false,"stream_options":{"include_usage":true})") << true;
    QTest::newRow("usage not a boolean")
        << body(R"("stream":true,"stream_options":{"include_usage":"yes"})") << true;
    QTest::newRow("stream null, options null")
        << body(R"("stream":null,"stream_options":null)") << true;
    QTest::newRow("user") << body(R"("user":"alice")") << true;
    QTest::newRow("user null") << body(R"("user":null)") << true;
    QTest::newRow("whitespace and order")
        << QByteArray(" \r\n{ \"messages\" : [ { \"content\" : \"x\" ,\t\"role\" : \"system\" } "
                      "] ,\n \"model\" : \"gpt-4o\" , \"stream\" : true } \n")
        << true;
    QTest::newRow("utf-8 text")
        << QByteArray(
               "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"h\xc3\xa9llo "
               "\xe2\x82\xac \xf0\x9f\x98\x80\"}]}")
        << true;
    QTest::newRow("utf-8 model name")
        << QByteArray("{\"model\":\"mod\xc3\xa8le\"," + kMessages + "}") << true;
    QTest::newRow("two-character escapes") << body(R"("x":"a\"b\\c\/d\n\t\r\b\f")") << true;
    QTest::newRow("content parts")
        << QByteArray(R"({"model":"m","messages":[{"role":"user","content":[{"type":"text",)"
                      R"("text":"hi"},{"type":"image_url","image_url":{"url":"data:x"}}]}]})")
        << true;
    QTest::newRow("content null, tool calls")
        << QByteArray(R"({"model":"m","messages":[{"role":"assistant","content":null,)"
                      R"("tool_calls":[{"id":"c","type":"function","function":{"name":"f",)"
                      R"("arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":"1"}]})")
        << true;
    QTest::newRow("no content") << QByteArray(R"({"model":"m","messages":[{"role":"user"}]})")
                                << true;
    QTest::newRow("every role")
        << QByteArray(
               R"({"model":"m","messages":[{"role":"system"},{"role":"developer"},)"
               R"({"role":"user"},{"role":"assistant"},{"role":"tool"},{"role":"function"}]})")
        << true;
    QTest::newRow("numbers in range")
        << body(R"("temperature":1.5,"top_p":0,"n":1,"max_tokens":1e2,"presence_penalty":-2,)"
                R"("frequency_penalty":2.0,"top_logprobs":20,"max_completion_tokens":100)")
        << true;
    QTest::newRow("numbers null") << body(R"("temperature":null,"n":null)") << true;
    QTest::newRow("stop string") << body(R"("stop":"\n")") << true;
    QTest::newRow("stop four") << body(R"("stop":["a","b","c","d"])") << true;
    QTest::newRow("stop empty array") << body(R"("stop":[])") << true;
    QTest::newRow("tools and choice")
        << body(R"("tools":[{"type":"function","function":{"name":"f","parameters":{}}}],)"
                R"("tool_choice":{"type":"function","function":{"name":"f"}},"logprobs":true)")
        << true;
    QTest::newRow("tool_choice string") << body(R"("tool_choice":"auto")") << true;
    QTest::newRow("unknown nested")
        << body(R"("x_vendor":{"a":[1,-0,2.5e-3,{"b":null,"c":[true,false]}],"d":""})") << true;
    QTest::newRow("big integer") << body(R"("seed":12345678901234567890)") << true;

    // Valid, but left to the document.
    QTest::newRow("u escape") << body(R"("user":"\u00e9")") << false;
    QTest::newRow("escaped key") << QByteArray(R"({"mod\u0065l":"m",)" + kMessages + "}") << false;
    QTest::newRow("escaped model") << QByteArray(R"({"model":"a\/b",)" + kMessages + "}") << false;
    QTest::newRow("duplicate model")
        << QByteArray(R"({"model":"a","model":"b",)" + kMessages + "}") << false;
    QTest::newRow("duplicate number rule") << body(R"("n":1,"n":3)") << false;
    QTest::newRow("deep nesting") << body("\"x\":" + QByteArray(100, '[') + QByteArray(100, ']'))
                                  << false;
    QTest::newRow("long number") << body(R"("x":1.00000000000000000000000000000000000001)")
                                 << false;

    // Invalid: the document path words the error.
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("array") << QByteArray("[]") << false;
    QTest::newRow("trailing garbage") << body({}) + "x" << false;
    QTest::newRow("trailing comma") << QByteArray(R"({"model":"m",)" + kMessages + ",}") << false;
    QTest::newRow("cut short") << body({}).chopped(2) << false;
    QTest::newRow("no model") << QByteArray("{" + kMessages + "}") << false;
    QTest::newRow("empty model") << QByteArray(R"({"model":"",)" + kMessages + "}") << false;
    QTest::newRow("model number") << QByteArray(R"({"model":4,)" + kMessages + "}") << false;
    QTest::newRow("no messages") << QByteArray(R"({"model":"m"})") << false;
    QTest::newRow("empty messages") << QByteArray(R"({"model":"m","messages":[]})") << false;
    QTest::newRow("messages object") << QByteArray(R"({"model":"m","messages":{}})") << false;
    QTest::newRow("message string") << QByteArray(R"({"model":"m","messages":["hi"]})") << false;
    QTest::newRow("bad role") << QByteArray(
                                     R"({"model":"m","messages":[{"role":"robot","content":"x"}]})")
                              << false;
    QTest::newRow("no role") << QByteArray(R"({"model":"m","messages":[{"content":"x"}]})")
                             << false;
    QTest::newRow("content number")
        << QByteArray(R"({"model":"m","messages":[{"role":"user","content":1}]})") << false;
    QTest::newRow("temperature high") << body(R"("temperature":3)") << false;
    QTest::newRow("temperature string") << body(R"("temperature":"1")") << false;
    QTest::newRow("n fraction") << body(R"("n":1.5)") << false;
    QTest::newRow("n zero") << body(R"("n":0)") << false;
    QTest::newRow("top_logprobs high") << body(R"("top_logprobs":21)") << false;
    QTest::newRow("stop five") << body(R"("stop":["a","b","c","d","e"])") << false;
    QTest::newRow("stop number") << body(R"("stop":[1])") << false;
    QTest::newRow("stop object") << body(R"("stop":{})") << false;
    QTest::newRow("tool_choice number") << body(R"("tool_choice":1)") << false;
    QTest::newRow("tools object") << body(R"("tools":{})") << false;
    QTest::newRow("logprobs string") << body(R"("logprobs":"yes")") << false;
    QTest::newRow("stream string") << body(R"("stream":"yes")") << false;
    QTest::newRow("stream_options number") << body(R"("stream_options":1)") << false;
    QTest::newRow("user number") << body(R"("user":1)") << false;
    QTest::newRow("nul escape") << body(R"("user":"a\u0000b")") << false;
    QTest::newRow("lone surrogate") << body(R"("x":["\ud800"])") << false;
    QTest::newRow("raw control character") << body("\"x\":\"a\tb\"") << false;
    QTest::newRow("invalid utf-8") << body("\"x\":\"\xff\"") << false;
    QTest::newRow("overlong utf-8") << body("\"x\":\"\xc0\xaf\"") << false;
    QTest::newRow("utf-8 surrogate") << body("\"x\":\"\xed\xa0\x80\"") << false;
    QTest::newRow("leading zero") << body(R"("x":01)") << false;
    QTest::newRow("bare word") << body(R"("x":nope)") << false;
}

void TestChatRequestScan::agreesWithDocument()
{
    QFETCH(QByteArray, raw);
    QFETCH(bool, fast);

    QCOMPARE(portico::ChatRequestScan::scan(raw).has_value(), fast);

    ApiError parseError;
    ApiError documentError;
    std::optional<ChatRequest> parsed = ChatRequest::parse(raw, &parseError);
    const std::optional<ChatRequest> document = ChatRequest::parseDocument(raw, &documentError);
    QCOMPARE(parsed.has_value(), document.has_value());
    if (!document) {
        QCOMPARE(parseError.status, documentError.status);
        QCOMPARE(parseError.message, documentError.message);
        QCOMPARE(parseError.param, documentError.param);
        return;
    }
    QCOMPARE(parsed->model, document->model);
    QCOMPARE(parsed->user, document->user);
    QCOMPARE(parsed->stream, document->stream);
    QCOMPARE(parsed->includeUsage, document->includeUsage);
    QCOMPARE(parsed->raw, raw);
    // The messages as written, whichever path read the request: what the session log copies.
    const std::optional<QByteArrayView> messages = parsed->rawMessages();
    QVERIFY(messages);
    QCOMPARE(QJsonDocument::fromJson(messages->toByteArray()).array(),
             document->body.value(QStringLiteral("messages")).toArray());
    QCOMPARE(messages->toByteArray(),
             portico::JsonSplice::objectValue(raw, "messages")->toByteArray());
    QCOMPARE(parsed->hasBody(), !fast);
    parsed->ensureBody();
    QCOMPARE(parsed->body, document->body);
}

void TestChatRequestScan::buildsTheDocumentOnDemand()
{
    ApiError error;
    std::optional<ChatRequest> request = ChatRequest::parse(body(R"("stream":true)"), &error);
    QVERIFY(request);
    QVERIFY(!request->hasBody());
    QVERIFY(request->body.isEmpty());
    request->ensureBody();
    QVERIFY(request->hasBody());
    QCOMPARE(request->body.value(QStringLiteral("model")).toString(), QStringLiteral("m"));
    // Edits survive: ensureBody() does not build it again.
    request->body[QStringLiteral("model")] = QStringLiteral("other");
    request->ensureBody();
    QCOMPARE(request->body.value(QStringLiteral("model")).toString(), QStringLiteral("other"));
}

namespace {
bool documentReads(const QByteArray &json)
{
    QJsonParseError error{};
    QJsonDocument::fromJson(json, &error);
    return error.error == QJsonParseError::NoError;
}
} // namespace

void TestChatRequestScan::readsAsJsonAgreesWithDocument()
{
    // The session log copies an upstream's answer into its line only when readsAsJson() says
    // QJsonDocument will read it. Every one-byte change (replaced, inserted, removed) of these
    // texts gets the same verdict from both, except where QJsonDocument is laxer than JSON (an
    // unknown escape such as "\x", a number such as ".5" or "5."): there readsAsJson() refuses,
    // and the log keeps the text as text. It never accepts what QJsonDocument refuses.
    const QByteArray texts[] = {
        R"({"role":"assistant","content":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/","n":[-0.5e+3,0,1E2,12345678901234567890123456789012345],"t":true,"f":false,"z":null})",
        "[{\"content\":\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}, {}, [], [[1]], \"\"]",
        "{ \"a\" :\t[ 1 ,\r\n 2 ] }",
    };
    const char replacements[] = {'"',    '\\',   ',',    ':',    '{', '}', '[', ']',
                                 'x',    '0',    'e',    '-',    '.', 'u', ' ', '\x01',
                                 '\x7f', '\xc3', '\xa9', '\xff', 'n', 't', '9', '+'};
    int compared = 0;
    int laxer = 0;
    // `at`: where the text was changed.
    const auto agrees = [&](const QByteArray &json, qsizetype at) {
        const QByteArray trimmed = json.trimmed();
        if (trimmed.isEmpty() || (trimmed.front() != '{' && trimmed.front() != '['))
            return true; // QJsonDocument reads only an object or an array at the top
        ++compared;
        bool repair = false;
        const bool ours = portico::readsAsJson(json, &repair);
        const bool document = documentReads(json);
        if (ours == document)
            return true;
        // Only QJsonDocument's laxness, next to the change: an escape ("\uXXXX" is six
        // bytes) or a decimal point.
        const QByteArray near = json.mid(std::max<qsizetype>(0, at - 6), 8);
        ++laxer;
        return !ours && (near.contains('\\') || near.contains('.'));
    };
    for (const QByteArray &text : texts) {
        QVERIFY(agrees(text, 0));
        for (qsizetype i = 0; i < text.size(); ++i) {
            QByteArray removed = text;
            removed.remove(i, 1);
            QVERIFY2(agrees(removed, i), removed.constData());
            for (const char c : replacements) {
                QByteArray replaced = text;
                replaced[i] = c;
                QVERIFY2(agrees(replaced, i), replaced.constData());
                QByteArray inserted = text;
                inserted.insert(i, c);
                QVERIFY2(agrees(inserted, i), inserted.constData());
            }
        }
    }
    QVERIFY(compared > 10'000);
    QVERIFY(laxer < compared / 20);
    // Nesting: the line puts the answer one level down, and QJsonDocument stops at 1,024.
    bool repair = false;
    for (const int levels : {1000, 1001}) {
        const QByteArray nested = QByteArray(levels, '[') + QByteArray(levels, ']');
        QCOMPARE(portico::readsAsJson(nested, &repair), levels == 1000);
    }
}

void TestChatRequestScan::readsAsJsonRepairs_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("repair");
    QTest::newRow("compact") << QByteArray(R"({"a":[1,"b c"]})") << false;
    QTest::newRow("space between tokens") << QByteArray(R"({"a": 1})") << true;
    QTest::newRow("space after") << QByteArray("{}\n") << true;
    QTest::newRow("tab in a string") << QByteArray("[\"a\tb\"]") << true;
    QTest::newRow("backslash, line feed") << QByteArray("[\"a\\\nb\"]") << true;
    // Strings are read sixteen bytes at a time: a control character anywhere in a long one.
    const QByteArray plain(40, 'a');
    for (int at = 0; at < 40; ++at) {
        QByteArray text = plain;
        text[at] = '\x1f';
        QTest::addRow("control character at %d", at) << "[\"" + text + "\"]" << true;
    }
}

void TestChatRequestScan::readsAsJsonRepairs()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, repair);
    bool needsRepair = !repair;
    QVERIFY(portico::readsAsJson(json, &needsRepair));
    QCOMPARE(needsRepair, repair);
}

QTEST_GUILESS_MAIN(TestChatRequestScan)
#include "tst_chatrequestscan.moc"
