#include "ChunkBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace portico;

namespace {

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qWarning() << "not a JSON object:" << json;
    return doc.object();
}

QJsonObject chunkWith(const QJsonObject &delta, const QJsonValue &finish = QJsonValue::Null)
{
    return QJsonObject{
        {QStringLiteral("id"), QStringLiteral("chatcmpl-1")},
        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
        {QStringLiteral("created"), 1700000000},
        {QStringLiteral("model"), QStringLiteral("m-1")},
        {QStringLiteral("choices"),
         QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                {QStringLiteral("delta"), delta},
                                {QStringLiteral("finish_reason"), finish}}}},
    };
}

} // namespace

class TestChunkBuilder : public QObject
{
    Q_OBJECT

private slots:
    void chunks_data()
    {
        const ChunkBuilder b(QStringLiteral("chatcmpl-1"), 1700000000, QStringLiteral("m-1"));
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QJsonObject>("expected");
        QTest::newRow("role") << b.role()
                              << chunkWith(QJsonObject{
                                     {QStringLiteral("role"), QStringLiteral("assistant")}});
        QTest::newRow("content") << b.content(QStringLiteral("Hi \"there\"\n"))
                                 << chunkWith(QJsonObject{{QStringLiteral("content"),
                                                           QStringLiteral("Hi \"there\"\n")}});
        QTest::newRow("reasoning")
            << b.reasoning(QStringLiteral("hmm"))
            << chunkWith(QJsonObject{{QStringLiteral("reasoning_content"), QStringLiteral("hmm")}});
        QTest::newRow("tool call start")
            << b.toolCall(2, QStringLiteral("call_9"), QStringLiteral("get_weather"), QString())
            << chunkWith(QJsonObject{
                   {QStringLiteral("tool_calls"),
                    QJsonArray{QJsonObject{
                        {QStringLiteral("index"), 2},
                        {QStringLiteral("id"), QStringLiteral("call_9")},
                        {QStringLiteral("type"), QStringLiteral("function")},
                        {QStringLiteral("function"),
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("get_weather")},
                                     {QStringLiteral("arguments"), QString()}}}}}}});
        QTest::newRow("tool call fragment")
            << b.toolCall(2, QString(), QString(), QStringLiteral("{\"city\":"))
            << chunkWith(QJsonObject{
                   {QStringLiteral("tool_calls"),
                    QJsonArray{QJsonObject{{QStringLiteral("index"), 2},
                                           {QStringLiteral("function"),
                                            QJsonObject{{QStringLiteral("arguments"),
                                                         QStringLiteral("{\"city\":")}}}}}}});
        QTest::newRow("finish") << b.finish(QStringLiteral("length"))
                                << chunkWith(QJsonObject{}, QStringLiteral("length"));
        QJsonObject usageChunk{
            {QStringLiteral("id"), QStringLiteral("chatcmpl-1")},
            {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
            {QStringLiteral("created"), 1700000000},
            {QStringLiteral("model"), QStringLiteral("m-1")},
            {QStringLiteral("choices"), QJsonArray{}},
            {QStringLiteral("usage"),
             QJsonObject{{QStringLiteral("prompt_tokens"), 7},
                         {QStringLiteral("completion_tokens"), 3},
                         {QStringLiteral("total_tokens"), 10},
                         {QStringLiteral("prompt_tokens_details"),
                          QJsonObject{{QStringLiteral("cached_tokens"), 4}}}}},
        };
        QTest::newRow("usage") << b.usage(ChunkBuilder::usageObject(7, 3, 4)) << usageChunk;
    }

    void chunks()
    {
        QFETCH(QByteArray, json);
        QFETCH(QJsonObject, expected);
        QVERIFY2(!json.contains('\n'), json.constData()); // compact: one SSE data line
        QCOMPARE(parse(json), expected);
    }

    void usageObjectOmitsUnknownDetails()
    {
        const QJsonObject u = ChunkBuilder::usageObject(5, 6);
        QCOMPARE(u.value(QStringLiteral("total_tokens")).toInteger(), 11);
        QVERIFY(!u.contains(QStringLiteral("prompt_tokens_details")));
        QVERIFY(!u.contains(QStringLiteral("completion_tokens_details")));
        const QJsonObject r = ChunkBuilder::usageObject(5, 6, -1, 2);
        QCOMPARE(r.value(QStringLiteral("completion_tokens_details"))
                     .toObject()
                     .value(QStringLiteral("reasoning_tokens"))
                     .toInteger(),
                 2);
    }
};

QTEST_GUILESS_MAIN(TestChunkBuilder)
#include "tst_chunkbuilder.moc"
