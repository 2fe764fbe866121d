#pragma once

#include <QStringList>

class QCoreApplication;

// Installs the user's language (the system's, or `--lang X` from `arguments`) before anything is
// printed, so command-line help and errors are translated in every mode. A build without the UI
// carries no translations and stays English.
void installTranslations(QCoreApplication *app, const QStringList &arguments);
