#undef QT_USE_QSTRINGBUILDER // rows concatenate QByteArrays into QByteArray columns

#include "AnthropicStreamTranslator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace portico;
using State = AnthropicStreamTranslator::State;

namespace {

QByteArray readFixture(const QString &name)
{
    QFile file(QStringLiteral(PORTICO_ANTHROPIC_FIXTURES "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QJsonObject parse(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    return doc.object();
}

struct Run
{
    QList<QByteArray> chunks;
    State state = State::Streaming;
    ApiError error;
};

Run feedPieces(const QList<QByteArrayView> &pieces, bool includeUsage)
{
    AnthropicStreamTranslator translator(QStringLiteral("chatcmpl-fixture"), 1700000000,
                                         QStringLiteral("claude-sonnet-4-5"), includeUsage);
    Run run;
    for (const QByteArrayView piece : pieces)
        translator.feed(piece, &run.chunks);
    run.state = translator.state();
    run.error = translator.error();
    return run;
}

// Compares JSON values exactly (every key, no extra ones) and checks each chunk is compact.
QString diff(const QList<QByteArray> &got, const QList<QByteArray> &want)
{
    for (qsizetype i = 0; i < qMax(got.size(), want.size()); ++i) {
        const QByteArray g = got.value(i);
        const QByteArray w = want.value(i);
        if (g.contains('\n')) // a compact JSON line: newlines inside strings are escaped
            return QStringLiteral("chunk %1 is not compact: %2").arg(i).arg(QString::fromUtf8(g));
        if (g.isEmpty() || w.isEmpty() || parse(g) != parse(w) ||
            !QJsonDocument::fromJson(g).isObject())
            return QStringLiteral("chunk %1 differs:\n got: %2\nwant: %3")
                .arg(i)
                .arg(QString::fromUtf8(g), QString::fromUtf8(w));
    }
    return {};
}

// Feeds an event list built from (name, data) pairs in one go.
Run feedEvents(const QList<QPair<QByteArray, QByteArray>> &events, bool includeUsage = false)
{
    QByteArray body;
    for (const auto &e : events)
        body += "event: " + e.first + "\ndata: " + e.second + "\n\n";
    return feedPieces({body}, includeUsage);
}

const QByteArray kStart =
    R"({"type":"message_start","message":{"model":"claude-x","usage":{"input_tokens":3,"output_tokens":1}}})";
const QByteArray kStop = R"({"type":"message_stop"})";

// An .error.json fixture without its "status" and "retryAfter" is the OpenAI error envelope.
QJsonObject envelope(QJsonObject fixture)
{
    fixture.remove(QStringLiteral("status"));
    fixture.remove(QStringLiteral("retryAfter"));
    return fixture;
}

} // namespace

class tst_AnthropicStreamTranslator : public QObject
{
    Q_OBJECT
private slots:
    void fixtures_data();
    void fixtures();
    void stopReasons_data();
    void stopReasons();
    void finishWithoutStopReason();
    void errorEvents_data();
    void errorEvents();
    void malformedEvent();
    void inputAfterEndIgnored();
    void interleavedToolBlocks();
    void sseFraming_data();
    void sseFraming();
    void oversizedEvent();
};

void tst_AnthropicStreamTranslator::fixtures_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("lineEnd");
    QTest::addColumn<bool>("includeUsage");
    QTest::addColumn<bool>("everySplit"); // also every two-piece split (slow: LF rows only)

    for (const char *name : {"text", "tools", "thinking", "error"}) {
        for (const bool usage : {true, false}) {
            const QByteArray suffix = usage ? " +usage" : "";
            QTest::addRow("%s LF%s", name, suffix.constData())
                << QString::fromLatin1(name) << QByteArray("\n") << usage << true;
            QTest::addRow("%s CRLF%s", name, suffix.constData())
                << QString::fromLatin1(name) << QByteArray("\r\n") << usage << false;
            QTest::addRow("%s CR%s", name, suffix.constData())
                << QString::fromLatin1(name) << QByteArray("\r") << usage << false;
        }
    }
}

void tst_AnthropicStreamTranslator::fixtures()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, lineEnd);
    QFETCH(bool, includeUsage);
    QFETCH(bool, everySplit);

    QByteArray body = readFixture(name + QStringLiteral(".sse"));
    body.replace("\n", lineEnd);

    QList<QByteArray> want;
    for (const QByteArray &line : readFixture(name + QStringLiteral(".chunks.jsonl")).split('\n')) {
        if (line.isEmpty())
            continue;
        const bool isUsage = parse(line).value(QLatin1String("choices")).toArray().isEmpty();
        if (!isUsage || includeUsage)
            want.append(line);
    }
    const bool failing = QFile::exists(QStringLiteral(PORTICO_ANTHROPIC_FIXTURES "/") + name +
                                       QStringLiteral(".error.json"));
    const QJsonObject wantError =
        failing ? parse(readFixture(name + QStringLiteral(".error.json"))) : QJsonObject();

    const auto check = [&](const Run &run, const QString &how) {
        const QString d = diff(run.chunks, want);
        if (!d.isEmpty())
            return how + QStringLiteral(": ") + d;
        if (run.state != (failing ? State::Failed : State::Finished))
            return how + QStringLiteral(": wrong end state");
        if (failing) {
            if (run.error.status != wantError.value(QLatin1String("status")).toInt())
                return how + QStringLiteral(": status %1").arg(run.error.status);
            if (parse(run.error.toJson()) != envelope(wantError))
                return how + QStringLiteral(": error ") + QString::fromUtf8(run.error.toJson());
        }
        return QString();
    };

    QString problem = check(feedPieces({body}, includeUsage), QStringLiteral("whole"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < body.size(); ++i)
        bytes.append(QByteArrayView(body).sliced(i, 1));
    problem = check(feedPieces(bytes, includeUsage), QStringLiteral("byte by byte"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    QRandomGenerator random(42);
    for (int round = 0; round < 50; ++round) {
        QList<QByteArrayView> pieces;
        qsizetype pos = 0;
        while (pos < body.size()) {
            const qsizetype n = qMin<qsizetype>(1 + random.bounded(40), body.size() - pos);
            pieces.append(QByteArrayView(body).sliced(pos, n));
            pos += n;
        }
        problem =
            check(feedPieces(pieces, includeUsage), QStringLiteral("random round %1").arg(round));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    if (!everySplit)
        return;
    for (qsizetype cut = 1; cut < body.size(); ++cut) {
        const QByteArrayView all(body);
        problem = check(feedPieces({all.first(cut), all.sliced(cut)}, includeUsage),
                        QStringLiteral("split at byte %1").arg(cut));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
}

void tst_AnthropicStreamTranslator::stopReasons_data()
{
    QTest::addColumn<QByteArray>("stopReason");
    QTest::addColumn<QString>("finishReason");
    QTest::newRow("end_turn") << QByteArray("end_turn") << QStringLiteral("stop");
    QTest::newRow("stop_sequence") << QByteArray("stop_sequence") << QStringLiteral("stop");
    QTest::newRow("max_tokens") << QByteArray("max_tokens") << QStringLiteral("length");
    QTest::newRow("tool_use") << QByteArray("tool_use") << QStringLiteral("tool_calls");
    QTest::newRow("refusal") << QByteArray("refusal") << QStringLiteral("content_filter");
    QTest::newRow("pause_turn") << QByteArray("pause_turn") << QStringLiteral("stop");
    QTest::newRow("context window")
        << QByteArray("model_context_window_exceeded") << QStringLiteral("length");
}

void tst_AnthropicStreamTranslator::stopReasons()
{
    QFETCH(QByteArray, stopReason);
    QFETCH(QString, finishReason);

    const Run run = feedEvents(
        {{"message_start", kStart},
         {"message_delta", R"({"type":"message_delta","delta":{"stop_reason":")" + stopReason +
                               R"(","stop_sequence":"END"},"usage":{"output_tokens":7}})"},
         {"message_stop", kStop}},
        true);
    QCOMPARE(run.state, State::Finished);
    QCOMPARE(run.chunks.size(), 3); // role, finish, usage
    const QJsonObject finish = parse(run.chunks.at(1));
    const QJsonObject choice = finish.value(QLatin1String("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QLatin1String("finish_reason")).toString(), finishReason);
    QCOMPARE(choice.value(QLatin1String("delta")).toObject(), QJsonObject());
    QCOMPARE(finish.value(QLatin1String("model")).toString(), QStringLiteral("claude-x"));
    const QJsonObject usage = parse(run.chunks.at(2)).value(QLatin1String("usage")).toObject();
    QCOMPARE(usage.value(QLatin1String("prompt_tokens")).toInt(), 3);
    QCOMPARE(usage.value(QLatin1String("completion_tokens")).toInt(), 7);
    QCOMPARE(usage.value(QLatin1String("total_tokens")).toInt(), 10);
}

void tst_AnthropicStreamTranslator::finishWithoutStopReason()
{
    // No message_start and no stop_reason: a role chunk and a "stop" finish are still produced.
    const Run run = feedEvents({{"message_stop", kStop}});
    QCOMPARE(run.state, State::Finished);
    QCOMPARE(run.chunks.size(), 2);
    const QJsonObject role = parse(run.chunks.at(0));
    QCOMPARE(role.value(QLatin1String("model")).toString(), QStringLiteral("claude-sonnet-4-5"));
    QCOMPARE(role.value(QLatin1String("choices"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("delta"))
                 .toObject()
                 .value(QLatin1String("role"))
                 .toString(),
             QStringLiteral("assistant"));
    QCOMPARE(parse(run.chunks.at(1))
                 .value(QLatin1String("choices"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("finish_reason"))
                 .toString(),
             QStringLiteral("stop"));
}

void tst_AnthropicStreamTranslator::errorEvents_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<int>("status");
    QTest::newRow("overloaded") << QByteArray("overloaded_error") << 503;
    QTest::newRow("rate limit") << QByteArray("rate_limit_error") << 429;
    QTest::newRow("invalid request") << QByteArray("invalid_request_error") << 400;
    QTest::newRow("authentication") << QByteArray("authentication_error") << 401;
    QTest::newRow("permission") << QByteArray("permission_error") << 403;
    QTest::newRow("not found") << QByteArray("not_found_error") << 404;
    QTest::newRow("too large") << QByteArray("request_too_large") << 413;
    QTest::newRow("api error") << QByteArray("api_error") << 502;
    QTest::newRow("unknown") << QByteArray("brand_new_error") << 502;
}

void tst_AnthropicStreamTranslator::errorEvents()
{
    QFETCH(QByteArray, type);
    QFETCH(int, status);
    const Run run = feedEvents(
        {{"message_start", kStart},
         {"error", R"({"type":"error","error":{"type":")" + type + R"(","message":"boom"}})"},
         {"message_stop", kStop}});
    QCOMPARE(run.state, State::Failed);
    QCOMPARE(run.chunks.size(), 1); // the role chunk; nothing after the error
    QCOMPARE(run.error.status, status);
    QCOMPARE(run.error.type, type);
    QCOMPARE(run.error.message, QStringLiteral("boom"));
}

void tst_AnthropicStreamTranslator::malformedEvent()
{
    const Run run = feedEvents({{"message_start", kStart}, {"content_block_delta", "{not json"}});
    QCOMPARE(run.state, State::Failed);
    QCOMPARE(run.error.status, 502);
    QVERIFY(run.error.message.contains(QLatin1String("content_block_delta")));
}

void tst_AnthropicStreamTranslator::inputAfterEndIgnored()
{
    AnthropicStreamTranslator translator(QStringLiteral("id"), 1, QStringLiteral("m"), false);
    QList<QByteArray> chunks;
    translator.feed("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", &chunks);
    QCOMPARE(translator.state(), State::Finished);
    const qsizetype count = chunks.size();
    translator.feed("data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                    "\"text_delta\",\"text\":\"late\"}}\n\n",
                    &chunks);
    QCOMPARE(chunks.size(), count);
    QCOMPARE(translator.state(), State::Finished);
}

void tst_AnthropicStreamTranslator::interleavedToolBlocks()
{
    // Tool indexes follow the order tool blocks start, whatever Anthropic's block index is.
    const auto start = [](int index, const char *id) {
        return QByteArray(R"({"type":"content_block_start","index":)") + QByteArray::number(index) +
               R"(,"content_block":{"type":"tool_use","id":")" + id +
               R"(","name":"f","input":{}}})";
    };
    const auto delta = [](int index, const char *json) {
        return QByteArray(R"({"type":"content_block_delta","index":)") + QByteArray::number(index) +
               R"(,"delta":{"type":"input_json_delta","partial_json":")" + json + R"("}})";
    };
    const Run run =
        feedEvents({{"message_start", kStart},
                    {"content_block_start", start(5, "t_a")},
                    {"content_block_start", start(2, "t_b")},
                    {"content_block_delta", delta(2, "B")},
                    {"content_block_delta", delta(5, "A")},
                    {"content_block_stop", R"({"type":"content_block_stop","index":5})"},
                    {"content_block_stop", R"({"type":"content_block_stop","index":2})"},
                    {"message_stop", kStop}});
    QCOMPARE(run.state, State::Finished);
    QList<QPair<int, QString>> seen; // (tool index, id or arguments)
    for (const QByteArray &c : run.chunks) {
        const QJsonArray calls = parse(c)
                                     .value(QLatin1String("choices"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QLatin1String("delta"))
                                     .toObject()
                                     .value(QLatin1String("tool_calls"))
                                     .toArray();
        for (const QJsonValue &call : calls) {
            const QJsonObject o = call.toObject();
            seen.append({o.value(QLatin1String("index")).toInt(),
                         o.contains(QLatin1String("id")) ? o.value(QLatin1String("id")).toString()
                                                         : o.value(QLatin1String("function"))
                                                               .toObject()
                                                               .value(QLatin1String("arguments"))
                                                               .toString()});
        }
    }
    const QList<QPair<int, QString>> want{{0, QStringLiteral("t_a")},
                                          {1, QStringLiteral("t_b")},
                                          {1, QStringLiteral("B")},
                                          {0, QStringLiteral("A")}};
    QCOMPARE(seen, want);
}

void tst_AnthropicStreamTranslator::sseFraming_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QList<QByteArray>>("names");
    QTest::addColumn<QList<QByteArray>>("datas");

    using L = QList<QByteArray>;
    QTest::newRow("multi-line data")
        << QByteArray("event: a\ndata: x\ndata:y\n\n") << L{"a"} << L{"x\ny"};
    QTest::newRow("BOM and no space") << QByteArray("\xEF\xBB\xBF"
                                                    "event:a\ndata:1\n\n")
                                      << L{"a"} << L{"1"};
    QTest::newRow("no data, no event")
        << QByteArray("event: a\n\nevent: b\ndata: 2\n\n") << L{"b"} << L{"2"};
    QTest::newRow("name resets") << QByteArray("event: a\ndata: 1\n\ndata: 2\n\n") << L{"a", ""}
                                 << L{"1", "2"};
    QTest::newRow("comments and unknown fields")
        << QByteArray(": hi\nid: 7\nretry: 10\nevent: a\ndata: 1\n\n") << L{"a"} << L{"1"};
    QTest::newRow("incomplete event held") << QByteArray("event: a\ndata: 1\n") << L{} << L{};
    QTest::newRow("mixed endings")
        << QByteArray("event: a\r\ndata: 1\r\rdata: 2\n\r\n") << L{"a", ""} << L{"1", "2"};
}

void tst_AnthropicStreamTranslator::sseFraming()
{
    QFETCH(QByteArray, body);
    QFETCH(QList<QByteArray>, names);
    QFETCH(QList<QByteArray>, datas);

    for (qsizetype cut = 0; cut <= body.size(); ++cut) {
        SseParser parser;
        QList<SseEvent> events;
        QVERIFY(parser.feed(QByteArrayView(body).first(cut), &events));
        QVERIFY(parser.feed(QByteArrayView(body).sliced(cut), &events));
        QList<QByteArray> gotNames;
        QList<QByteArray> gotDatas;
        for (const auto &e : std::as_const(events)) {
            gotNames.append(e.name);
            gotDatas.append(e.data);
        }
        QCOMPARE(gotNames, names);
        QCOMPARE(gotDatas, datas);
    }
}

void tst_AnthropicStreamTranslator::oversizedEvent()
{
    AnthropicStreamTranslator translator(QStringLiteral("id"), 1, QStringLiteral("m"), false);
    QList<QByteArray> chunks;
    const QByteArray line = "data: " + QByteArray(1024 * 1024, 'x');
    for (int i = 0; i < 17 && translator.state() == State::Streaming; ++i)
        translator.feed(line, &chunks);
    QCOMPARE(translator.state(), State::Failed);
    QCOMPARE(translator.error().status, 502);
    QVERIFY(chunks.isEmpty());
}

QTEST_GUILESS_MAIN(tst_AnthropicStreamTranslator)
#include "tst_anthropicstreamtranslator.moc"
