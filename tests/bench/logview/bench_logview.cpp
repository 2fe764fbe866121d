// Opens a generated session log of 100,000 records (or --records N, or an existing --dir) in the
// log view and prints how long until the first rows show, until everything is loaded, and the
// longest stretch the GUI thread could not run its event loop meanwhile.
#include "LogRecord.h"
#include "LogTableModel.h"
#include "LogView.h"
#include "SessionLogFiles.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace portico;

namespace {

// A realistic record: a system prompt, a user question, an answer and sometimes a tool call.
LogRecord makeRecord(int n, qint64 time)
{
    LogRecord r;
    r.time = time;
    r.requestId = QStringLiteral("chatcmpl-bench%1").arg(n, 8, 10, QLatin1Char('0'));
    r.sessionKey = QStringLiteral("session-%1").arg(n % 97);
    r.agent = QStringLiteral("agent-%1").arg(n % 5);
    r.provider = QStringLiteral("local");
    r.upstreamModel = n % 3 ? QStringLiteral("llama3.2") : QStringLiteral("qwen2.5-coder");
    r.clientTokenName = QStringLiteral("laptop");
    r.status = n % 50 ? 200 : 502;
    r.error = n % 50 ? QString() : QStringLiteral("upstream closed the connection");
    r.latencyMs = 300 + n % 4000;
    r.ttftMs = 40 + n % 300;
    r.usage = {120 + n % 900, 30 + n % 400, 150 + n % 1300};
    r.stream = n % 4 != 0;
    r.requestMessages = QJsonArray{
        QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                    {QStringLiteral("content"),
                     QStringLiteral("You are a careful coding assistant. Answer briefly and "
                                    "show code when it helps.")}},
        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                    {QStringLiteral("content"),
                     QStringLiteral("Question %1: how do I read a file line by line in C++ and "
                                    "stop at the first empty line, without copying?")
                         .arg(n)}}};
    QJsonObject response{{QStringLiteral("role"), QStringLiteral("assistant")},
                         {QStringLiteral("content"),
                          QStringLiteral("Use std::getline on an std::ifstream and break when "
                                         "the line is empty; reserve the string once. Answer %1.")
                              .arg(n)}};
    if (n % 6 == 0)
        response[QStringLiteral("tool_calls")] = QJsonArray{QJsonObject{
            {QStringLiteral("id"), QStringLiteral("call_%1").arg(n)},
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"),
             QJsonObject{{QStringLiteral("name"), QStringLiteral("read_file")},
                         {QStringLiteral("arguments"),
                          QStringLiteral(R"({"path":"src/main.cpp","max_lines":200})")}}}}};
    r.response = response;
    return r;
}

// Spreads `count` records over the last week, one file per UTC day, oldest first.
qint64 generate(const QString &dir, int count)
{
    QDir().mkpath(dir);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 span = 7LL * SessionLogFiles::DayMs;
    const qint64 step = std::max<qint64>(1, span / count);
    QFile file;
    QDate day;
    qint64 bytes = 0;
    for (int n = 0; n < count; ++n) {
        const qint64 time = now - span + qint64(n) * step;
        const QDate d = SessionLogFiles::dayOf(time);
        if (d != day) {
            file.close();
            file.setFileName(QDir(dir).filePath(SessionLogFiles::fileName(d, 0)));
            if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
                return -1;
            day = d;
        }
        const QByteArray line = makeRecord(n, time).toJsonLine();
        bytes += file.write(line);
    }
    return bytes;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption recordsOption(QStringLiteral("records"),
                                           QStringLiteral("Records to generate (100000)."),
                                           QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption dirOption(QStringLiteral("dir"),
                                       QStringLiteral("Open this log directory instead."),
                                       QStringLiteral("dir"));
    parser.addOptions({recordsOption, dirOption});
    parser.process(app);

    QTemporaryDir tmp;
    QString dir = parser.value(dirOption);
    if (dir.isEmpty()) {
        dir = tmp.filePath(QStringLiteral("logs"));
        const int count = parser.value(recordsOption).toInt();
        QElapsedTimer t;
        t.start();
        const qint64 bytes = generate(dir, count);
        if (bytes < 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(dir));
            return 1;
        }
        std::printf("generated %d records (%.1f MB) in %lld ms\n", count, double(bytes) / 1e6,
                    t.elapsed());
    }

    LogView view(dir);
    view.resize(1200, 800);
    QElapsedTimer clock;
    qint64 firstRows = -1;
    qint64 lastTick = 0;
    qint64 worstGap = 0;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.elapsed();
        worstGap = std::max(worstGap, now - lastTick);
        lastTick = now;
    });
    QObject::connect(view.model(), &QAbstractItemModel::rowsInserted, &app, [&] {
        if (firstRows < 0)
            firstRows = clock.elapsed();
    });
    QObject::connect(&view, &LogView::loadFinished, &app, [&](int rows) {
        const qint64 full = clock.elapsed();
        tick.stop();
        std::printf("log view: first rows after %lld ms, %d rows loaded after %lld ms, "
                    "longest GUI stall during the load %lld ms\n",
                    firstRows, rows, full, worstGap);
        app.quit();
    });
    clock.start();
    tick.start(5);
    view.show(); // the first show starts loading
    return app.exec();
}
