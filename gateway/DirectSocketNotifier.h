#pragma once

#include <QSocketNotifier>

namespace portico {

// A socket notifier with a plain function as its handler. EpollDispatcher (the HTTP workers'
// dispatcher) calls it directly; a QSocketNotifier costs an event sent through
// QCoreApplication::notify and two signal emissions per readiness, on every read of the relay
// path. Under Qt's dispatchers it is activated as any notifier is, through its signal.
class DirectSocketNotifier final : public QSocketNotifier
{
public:
    using Handler = void (*)(void *context);

    DirectSocketNotifier(qintptr socket, Type type, Handler handler, void *context,
                         QObject *parent);

    // What activated() would lead to. The handler may delete this notifier.
    void activate() const { m_handler(m_context); }

private:
    const Handler m_handler;
    void *const m_context;
};

} // namespace portico
