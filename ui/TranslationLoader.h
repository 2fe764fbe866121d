#pragma once

#include <QString>

class QCoreApplication;

namespace portico {

// Installs Portico's translation (portico_<lang>.qm) and Qt's own (qtbase_<lang>.qm) for a
// language such as "zh_CN"; an empty language means the system's. Looks in the resources
// (:/i18n), next to the executable (translations/, ../translations/) and in the data
// directories (portico/translations). Returns whether Portico's translation was found.
class TranslationLoader
{
public:
    static bool install(QCoreApplication *app, const QString &language);
    static QStringList searchPaths();
};

} // namespace portico
