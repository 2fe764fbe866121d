#include "Translations.h"

#ifdef PORTICO_WITH_UI
#include "TranslationLoader.h"
#endif

#include <QCoreApplication>

void installTranslations(QCoreApplication *app, const QStringList &arguments)
{
    QString language;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        if (arguments[i] == QLatin1String("--lang") && i + 1 < arguments.size())
            language = arguments[i + 1];
        else if (arguments[i].startsWith(QLatin1String("--lang=")))
            language = arguments[i].mid(7);
    }
#ifdef PORTICO_WITH_UI
    portico::TranslationLoader::install(app, language);
#else
    Q_UNUSED(app)
#endif
}
