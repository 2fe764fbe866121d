#pragma once

#include <QRandomGenerator>

namespace portico {

// A generator for each thread, seeded from the system's: the same kind of generator as
// QRandomGenerator::global() (which request ids and per-request session keys used), without the
// one mutex every worker thread took for it on each request. Not for secrets: tokens come from
// QRandomGenerator::system().
inline QRandomGenerator &threadRandom()
{
    thread_local QRandomGenerator generator = QRandomGenerator::securelySeeded();
    return generator;
}

} // namespace portico
