#include "TranslationLoader.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QStandardPaths>
#include <QTranslator>

namespace portico {

QStringList TranslationLoader::searchPaths()
{
    const QString appDir = QCoreApplication::applicationDirPath();
    QStringList paths{QStringLiteral(":/i18n"), appDir + QStringLiteral("/translations"),
                      appDir + QStringLiteral("/../translations")};
    for (const QString &dir :
         QStandardPaths::standardLocations(QStandardPaths::GenericDataLocation))
        paths << dir + QStringLiteral("/portico/translations");
    return paths;
}

bool TranslationLoader::install(QCoreApplication *app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    if (!language.isEmpty())
        QLocale::setDefault(locale);

    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app->installTranslator(qt);
    else
        delete qt;

    auto *own = new QTranslator(app);
    for (const QString &dir : searchPaths()) {
        if (own->load(locale, QStringLiteral("portico"), QStringLiteral("_"), dir)) {
            app->installTranslator(own);
            return true;
        }
    }
    delete own;
    return false;
}

} // namespace portico
