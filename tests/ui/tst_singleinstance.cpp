// One tray application per user: a second launch asks the first to show itself.
#include "SingleInstance.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

class TestSingleInstance : public QObject
{
    Q_OBJECT

private slots:
    void secondLaunchShowsFirst();
    void staleSocketIsReplaced();
    void defaultPathIsPerUser();
};

void TestSingleInstance::secondLaunchShowsFirst()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("portico.sock"));
    SingleInstance first(path);
    QVERIFY(first.claim());
    QVERIFY(first.isPrimary());
    QSignalSpy show(&first, &SingleInstance::showRequested);

    SingleInstance second(path);
    QVERIFY(!second.claim());
    QVERIFY(!second.isPrimary());
    QVERIFY(show.wait(5'000));
    QCOMPARE(show.size(), 1);
}

void TestSingleInstance::staleSocketIsReplaced()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("portico.sock"));
    {
        QFile stale(path); // left behind by a crash: nobody listens
        QVERIFY(stale.open(QIODevice::WriteOnly));
    }
    SingleInstance instance(path);
    QVERIFY(instance.claim());
    QVERIFY(instance.isPrimary());
    {
        SingleInstance first(dir.filePath(QStringLiteral("other.sock")));
        QVERIFY(first.claim());
    }
    // The first one is gone: a new launch becomes the primary one.
    SingleInstance again(dir.filePath(QStringLiteral("other.sock")));
    QVERIFY(again.claim());
}

void TestSingleInstance::defaultPathIsPerUser()
{
    const QString path = SingleInstance::defaultSocketPath();
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QDir(runtime).exists())
        QVERIFY(path.startsWith(runtime));
    else
        QVERIFY(path.contains(QString::number(getuid())));
}

QTEST_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
