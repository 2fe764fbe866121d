#include "DirectSocketNotifier.h"

namespace portico {

DirectSocketNotifier::DirectSocketNotifier(qintptr socket, Type type, Handler handler,
                                           void *context, QObject *parent, WakeUp wakeUp)
    : QSocketNotifier(type, parent)
    , m_handler(handler)
    , m_context(context)
    , m_wakeUp(wakeUp)
{
    // Registered with the dispatcher from here, not from QSocketNotifier's constructor: there
    // the object is not a DirectSocketNotifier yet, and EpollDispatcher would not know it as one.
    setSocket(socket);
    setEnabled(true);
    // Qt's dispatchers send the notifier an event, which emits this; EpollDispatcher sends none
    // and calls activate() itself, so the handler runs once either way.
    connect(this, &QSocketNotifier::activated, this, [this] { activate(); });
}

} // namespace portico
