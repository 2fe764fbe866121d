#include "TrayIcons.h"

#include <QGuiApplication>
#include <QPalette>

namespace portico {

QString TrayIcons::resourcePath(AppStatus::State state, bool darkPanel)
{
    const char *name = "off";
    switch (state) {
    case AppStatus::State::Off:
        break;
    case AppStatus::State::Idle:
        name = "idle";
        break;
    case AppStatus::State::Streaming:
        name = "streaming";
        break;
    case AppStatus::State::Error:
        name = "error";
        break;
    }
    return QStringLiteral(":/portico/icons/tray-%1-%2.svg")
        .arg(QLatin1String(name), darkPanel ? QStringLiteral("dark") : QStringLiteral("light"));
}

QIcon TrayIcons::icon(AppStatus::State state, bool darkPanel)
{
    return QIcon(resourcePath(state, darkPanel));
}

QIcon TrayIcons::appIcon()
{
    return QIcon(QStringLiteral(":/portico/icons/portico.svg"));
}

bool TrayIcons::paletteIsDark()
{
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

} // namespace portico
