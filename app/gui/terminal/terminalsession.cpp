#include "gui/terminal/terminalsession.h"

#include "gui/terminal/terminalview.h"

namespace porthole::gui {

TerminalSession::TerminalSession(QObject *parent) : QObject(parent) {}

TerminalSession::~TerminalSession() = default;

void TerminalSession::start(TerminalView *view)
{
    if (m_state != State::Idle || !view)
        return;
    m_view = view;
    TerminalSurface *surface = view->surface();
    connect(surface, &TerminalSurface::bytesToSend, this, [this](const QByteArray &bytes) {
        if (m_state == State::Running)
            sendBytes(bytes);
    });
    connect(surface, &TerminalSurface::resized, this, [this](int rows, int cols) {
        if (m_state == State::Running)
            sendSize(rows, cols);
    });
    setState(State::Starting);
    begin();
}

void TerminalSession::detach()
{
    if (m_view) {
        disconnect(m_view->surface(), nullptr, this, nullptr);
        disconnect(m_view, nullptr, this, nullptr);
        m_view = nullptr;
    }
    if (!isActive())
        return;
    leave();
    setState(State::Detached);
}

TerminalView *TerminalSession::view() const
{
    return m_view;
}

void TerminalSession::setRunning()
{
    if (m_state == State::Starting)
        setState(State::Running);
}

void TerminalSession::finish(std::optional<int> exitCode, const QString &error)
{
    if (!isActive())
        return;
    m_exitCode = exitCode;
    m_error = error;
    if (m_view && !error.isEmpty())
        m_view->feed("\r\n\x1b[31m" + error.toUtf8() + "\x1b[0m\r\n");
    setState(State::Ended);
    Q_EMIT ended();
}

void TerminalSession::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace porthole::gui
