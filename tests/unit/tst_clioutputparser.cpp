#include "CliOutputParser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace portico;

using Event = CliOutputParser::Event;
using Kind = CliOutputParser::Event::Kind;

namespace {

// One event as text, for readable comparisons: "content:Hello", "usage:{…}", "fatal:…".
QString describe(const Event &e)
{
    switch (e.kind) {
    case Kind::Content:
        return QStringLiteral("content:") + e.text;
    case Kind::Reasoning:
        return QStringLiteral("reasoning:") + e.text;
    case Kind::Usage:
        return QStringLiteral("usage:") +
               QString::fromUtf8(QJsonDocument(e.usage).toJson(QJsonDocument::Compact));
    case Kind::Error:
        return QStringLiteral("error:") + e.text;
    case Kind::FatalError:
        return QStringLiteral("fatal:") + e.text;
    }
    return {};
}

QStringList run(CliOutputFormat format, const QByteArray &output, int pieceSize)
{
    CliOutputParser parser(format);
    QList<Event> events;
    for (qsizetype i = 0; i < output.size(); i += pieceSize)
        events += parser.feed(output.mid(i, pieceSize));
    events += parser.finish();
    QStringList out;
    for (const Event &e : std::as_const(events))
        out.append(describe(e));
    return out;
}

// Plain text arrives in pieces of any size; joining the pieces gives the output back.
QStringList joinContent(const QStringList &events)
{
    QString text;
    for (const QString &e : events)
        text += e.mid(int(qstrlen("content:")));
    return {QStringLiteral("content:") + text};
}

} // namespace

class TestCliOutputParser : public QObject
{
    Q_OBJECT

private slots:
    void formats_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QByteArray>("output");
        QTest::addColumn<QStringList>("events");

        QTest::newRow("claude")
            << int(CliOutputFormat::ClaudeStreamJson)
            << QByteArray(
                   R"({"type":"system","subtype":"init","session_id":"s1","model":"m"}
{"type":"assistant","message":{"id":"msg_1","role":"assistant","content":[{"type":"thinking","thinking":"Think."},{"type":"text","text":"Hello"}]},"parent_tool_use_id":null}
{"type":"assistant","message":{"id":"msg_1","role":"assistant","content":[{"type":"tool_use","id":"t","name":"Read","input":{}}]},"parent_tool_use_id":null}
not json at all
{"type":"assistant","message":{"id":"msg_x","role":"assistant","content":[{"type":"text","text":"sub"}]},"parent_tool_use_id":"toolu_1"}
{"type":"assistant","message":{"id":"msg_2","role":"assistant","content":[{"type":"text","text":"Wörld"}]},"parent_tool_use_id":null}
{"type":"result","subtype":"success","is_error":false,"result":"Hello\n\nWörld","usage":{"input_tokens":10,"cache_creation_input_tokens":5,"cache_read_input_tokens":100,"output_tokens":20}})")
            << QStringList{
                   QStringLiteral("reasoning:Think."), QStringLiteral("content:Hello"),
                   QStringLiteral("content:\n\nWörld"),
                   QStringLiteral(
                       R"(usage:{"completion_tokens":20,"prompt_tokens":115,"prompt_tokens_details":{"cached_tokens":100},"total_tokens":135})")};
        QTest::newRow("claude partial messages are not repeated")
            << int(CliOutputFormat::ClaudeStreamJson)
            << QByteArray(
                   R"({"type":"stream_event","event":{"type":"message_start","message":{"id":"msg_1"}}}
{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}}
{"type":"stream_event","event":{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hel"}}}
{"type":"stream_event","event":{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"lo"}}}
{"type":"assistant","message":{"id":"msg_1","role":"assistant","content":[{"type":"text","text":"Hello"}]}}
{"type":"stream_event","event":{"type":"message_start","message":{"id":"msg_2"}}}
{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Again"}}}
{"type":"assistant","message":{"id":"msg_2","role":"assistant","content":[{"type":"text","text":"Again"}]}}
)")
            << QStringList{QStringLiteral("reasoning:hm"), QStringLiteral("content:Hel"),
                           QStringLiteral("content:lo"), QStringLiteral("content:\n\nAgain")};
        QTest::newRow("claude result text when nothing else was said")
            << int(CliOutputFormat::ClaudeStreamJson)
            << QByteArray(
                   R"({"type":"result","subtype":"success","is_error":false,"result":"Only this"})"
                   "\n")
            << QStringList{QStringLiteral("content:Only this")};
        QTest::newRow("claude error result")
            << int(CliOutputFormat::ClaudeStreamJson)
            << QByteArray(
                   R"({"type":"result","subtype":"error_during_execution","is_error":true,"errors":["boom","bang"]})")
            << QStringList{QStringLiteral("fatal:boom; bang")};
        QTest::newRow("claude error result, subtype only")
            << int(CliOutputFormat::ClaudeStreamJson)
            << QByteArray(R"({"type":"result","subtype":"error_max_turns","is_error":true})")
            << QStringList{QStringLiteral("fatal:error_max_turns")};
        QTest::newRow("codex")
            << int(CliOutputFormat::CodexJson)
            << QByteArray(R"({"type":"thread.started","thread_id":"t1"}
{"type":"turn.started"}
{"type":"item.completed","item":{"id":"item_0","type":"reasoning","text":"Plan"}}
{"type":"item.completed","item":{"id":"item_1","type":"command_execution","command":"ls","aggregated_output":"a","exit_code":0,"status":"completed"}}
{"type":"item.completed","item":{"id":"item_2","type":"agent_message","text":"One"}}
{"type":"item.completed","item":{"id":"item_3","type":"error","message":"model rerouted"}}
{"type":"item.completed","item":{"id":"item_4","type":"reasoning","text":"More"}}
{"type":"item.completed","item":{"id":"item_5","type":"agent_message","text":"Two"}}
{"type":"turn.completed","usage":{"input_tokens":50,"cached_input_tokens":20,"output_tokens":7}}
)")
            << QStringList{
                   QStringLiteral("reasoning:Plan"),
                   QStringLiteral("content:One"),
                   QStringLiteral("error:model rerouted"),
                   QStringLiteral("reasoning:\n\nMore"),
                   QStringLiteral("content:\n\nTwo"),
                   QStringLiteral(
                       R"(usage:{"completion_tokens":7,"prompt_tokens":50,"prompt_tokens_details":{"cached_tokens":20},"total_tokens":57})")};
        QTest::newRow("codex failure")
            << int(CliOutputFormat::CodexJson)
            << QByteArray(R"({"type":"error","message":"Reconnecting... 1/5"}
{"type":"turn.failed","error":{"message":"401 Unauthorized"}}
)")
            << QStringList{QStringLiteral("error:Reconnecting... 1/5"),
                           QStringLiteral("fatal:401 Unauthorized")};
        QTest::newRow("gemini")
            << int(CliOutputFormat::GeminiStreamJson)
            << QByteArray(R"({"type":"init","session_id":"g","model":"m"}
{"type":"message","role":"user","content":"prompt echo"}
{"type":"message","role":"assistant","content":"Hel","delta":true}
{"type":"message","role":"assistant","content":"lo","delta":true}
{"type":"tool_use","tool_name":"ls","tool_id":"t1","parameters":{}}
{"type":"tool_result","tool_id":"t1","status":"success","output":""}
{"type":"message","role":"assistant","content":"Done","delta":true}
{"type":"error","severity":"warning","message":"slow"}
{"type":"result","status":"success","stats":{"total_tokens":30,"input_tokens":20,"output_tokens":10,"cached":5,"input":15}}
)")
            << QStringList{
                   QStringLiteral("content:Hel"), QStringLiteral("content:lo"),
                   QStringLiteral("content:\n\nDone"), QStringLiteral("error:slow"),
                   QStringLiteral(
                       R"(usage:{"completion_tokens":10,"prompt_tokens":20,"prompt_tokens_details":{"cached_tokens":5},"total_tokens":30})")};
        QTest::newRow("gemini failure")
            << int(CliOutputFormat::GeminiStreamJson)
            << QByteArray(
                   R"({"type":"result","status":"error","error":{"type":"X","message":"auth failed"}})")
            << QStringList{QStringLiteral("fatal:auth failed")};
    }

    void formats()
    {
        QFETCH(int, format);
        QFETCH(QByteArray, output);
        QFETCH(QStringList, events);
        // Whole, line by line, byte by byte (split lines and UTF-8 sequences), odd pieces.
        for (const int piece : {int(output.size()), 1, 7, 64}) {
            const QStringList actual = run(CliOutputFormat(format), output, qMax(piece, 1));
            if (actual != events)
                qWarning() << "piece size" << piece;
            QCOMPARE(actual, events);
        }
    }

    void plainText()
    {
        const QByteArray output =
            QStringLiteral("line one\nünïcode ✓\nno newline at the end").toUtf8();
        const QStringList expected{
            QStringLiteral("content:line one\nünïcode ✓\nno newline at the end")};
        for (const int piece : {int(output.size()), 1, 2, 5})
            QCOMPARE(joinContent(run(CliOutputFormat::Text, output, piece)), expected);
        // Plain text is not held back until a newline.
        CliOutputParser parser(CliOutputFormat::Text);
        const QList<Event> first = parser.feed("partial");
        QCOMPARE(first.size(), 1);
        QCOMPARE(first.first().text, QStringLiteral("partial"));
        // Half of a UTF-8 sequence waits for the rest.
        QVERIFY(parser.feed(QByteArray("\xc3", 1)).isEmpty());
        QCOMPARE(parser.feed(QByteArray("\xbc", 1)).first().text, QStringLiteral("ü"));
    }
};

QTEST_GUILESS_MAIN(TestCliOutputParser)
#include "tst_clioutputparser.moc"
