#include "AutostartEntry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace portico {

QString AutostartEntry::path()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/portico.desktop");
}

bool AutostartEntry::isEnabled()
{
    QFile file(path());
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = file.readAll();
    for (const QByteArray &rawLine : text.split('\n')) {
        const QByteArray line = rawLine.trimmed();
        if (line == "Hidden=true" || line == "X-GNOME-Autostart-enabled=false")
            return false;
    }
    return true;
}

QByteArray AutostartEntry::contents(const QString &executable)
{
    // Exec quoting per the Desktop Entry spec: double quotes, with \ " ` $ escaped.
    QString quoted = executable;
    for (const char *special : {"\\", "\"", "`", "$"})
        quoted.replace(QLatin1String(special), QLatin1Char('\\') + QLatin1String(special));
    return QByteArrayLiteral("[Desktop Entry]\n"
                             "Type=Application\n"
                             "Name=Portico\n"
                             "Comment=Local OpenAI-compatible LLM gateway\n"
                             "Exec=\"") +
           quoted.toUtf8() +
           QByteArrayLiteral("\"\n"
                             "Icon=portico\n"
                             "Terminal=false\n"
                             "X-GNOME-Autostart-enabled=true\n");
}

bool AutostartEntry::setEnabled(bool enabled, QString *error, const QString &executable)
{
    const QString file = path();
    if (!enabled) {
        if (QFile::exists(file) && !QFile::remove(file)) {
            if (error)
                *error = QCoreApplication::translate("AutostartEntry", "%1 could not be removed.")
                             .arg(file);
            return false;
        }
        return true;
    }
    QDir().mkpath(QFileInfo(file).absolutePath());
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QCoreApplication::translate("AutostartEntry", "%1 could not be written: %2")
                         .arg(file, out.errorString());
        return false;
    }
    out.write(
        contents(executable.isEmpty() ? QCoreApplication::applicationFilePath() : executable));
    if (!out.commit()) {
        if (error)
            *error = QCoreApplication::translate("AutostartEntry", "%1 could not be written: %2")
                         .arg(file, out.errorString());
        return false;
    }
    return true;
}

} // namespace portico
