#include "CliPrompt.h"

#include <QJsonDocument>
#include <QTest>

using namespace portico;

class TestCliPrompt : public QObject
{
    Q_OBJECT

private slots:
    void render_data()
    {
        QTest::addColumn<QByteArray>("messages");
        QTest::addColumn<QString>("prompt");

        QTest::newRow("single user message is sent as is")
            << QByteArray("[{\"role\":\"user\",\"content\":\"--help\\n$(touch x); `id` | cat "
                          "\\\"q\\\"\"}]")
            << QStringLiteral("--help\n$(touch x); `id` | cat \"q\"");
        QTest::newRow("system and turns")
            << QByteArray(R"([{"role":"system","content":"Be terse."},
                             {"role":"user","content":"2+2?"},
                             {"role":"assistant","content":"4"},
                             {"role":"user","content":"3+3?"}])")
            << QStringLiteral(
                   "[System]\nBe terse.\n\n[User]\n2+2?\n\n[Assistant]\n4\n\n[User]\n3+3?");
        QTest::newRow("developer is system, names kept")
            << QByteArray(R"([{"role":"developer","content":"Rules."},
                             {"role":"user","name":"alice","content":"hi"}])")
            << QStringLiteral("[System]\nRules.\n\n[User alice]\nhi");
        QTest::newRow("single named user message is labelled")
            << QByteArray(R"([{"role":"user","name":"bob","content":"hi"}])")
            << QStringLiteral("[User bob]\nhi");
        QTest::newRow("content parts")
            << QByteArray(R"([{"role":"user","content":[{"type":"text","text":"Look:"},
                             {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},
                             {"type":"input_audio","input_audio":{}},
                             {"type":"text","text":"what is it?"}]}])")
            << QStringLiteral("Look:\n[image omitted]\n[input audio omitted]\nwhat is it?");
        QTest::newRow("tool calls and results")
            << QByteArray(R"([{"role":"user","content":"weather?"},
                             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{'city':'Oslo'}"}}]},
                             {"role":"tool","tool_call_id":"call_1","content":"rain"}])")
            << QStringLiteral("[User]\nweather?\n\n[Assistant]\n[Tool call call_1] "
                              "get_weather({'city':'Oslo'})\n\n[Tool result call_1]\nrain");
        QTest::newRow("empty") << QByteArray("[]") << QString();
    }

    void render()
    {
        QFETCH(QByteArray, messages);
        QFETCH(QString, prompt);
        QCOMPARE(CliPrompt::render(QJsonDocument::fromJson(messages).array()), prompt);
    }
};

QTEST_GUILESS_MAIN(TestCliPrompt)
#include "tst_cliprompt.moc"
