#pragma once

#include "AppStatus.h"

#include <QIcon>

namespace portico {

// The tray icon for each state, in a variant for light panels (a dark glyph) and one for dark
// panels (a light glyph), from the SVGs in resources/icons.
class TrayIcons
{
public:
    static QIcon icon(AppStatus::State state, bool darkPanel);
    static QString resourcePath(AppStatus::State state, bool darkPanel);
    static QIcon appIcon();
    // Whether the current palette looks dark (the panel usually follows it).
    static bool paletteIsDark();
};

} // namespace portico
