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
    // Who is woken when several threads watch one descriptor (a listening socket shared by the
    // HTTP workers): every thread waiting on it, or only one (EPOLLEXCLUSIVE under
    // EpollDispatcher; Qt's dispatchers wake them all).
    enum class WakeUp { AllWaiters, OneWaiter };

    DirectSocketNotifier(qintptr socket, Type type, Handler handler, void *context, QObject *parent,
                         WakeUp wakeUp = WakeUp::AllWaiters);

    // What activated() would lead to. The handler may delete this notifier.
    void activate() const { m_handler(m_context); }
    WakeUp wakeUp() const { return m_wakeUp; }

private:
    const Handler m_handler;
    void *const m_context;
    const WakeUp m_wakeUp;
};

} // namespace portico
