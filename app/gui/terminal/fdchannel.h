// A non-blocking fd (the attach socket or a pty master) read in batches
// through a QSocketNotifier, with writes queued while the peer is full. Reads
// pause while the view it feeds has a backlog and resume when it drains.
//
// Plumbing shared by AttachSession and ExecSession, not a public interface.
// Owns the fd (closed by close() or the destructor). Threading: UI thread
// only, the view's.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <functional>

class QSocketNotifier;

namespace porthole::gui {

class TerminalView;

class FdChannel : public QObject {
public:
    // socket: fd is a socket, written with send() so a gone peer is EPIPE
    // rather than SIGPIPE.
    FdChannel(int fd, bool socket, TerminalView *view, QObject *parent);
    ~FdChannel() override;

    std::function<void(const QByteArray &)> onData;
    std::function<void()> onEnd; // end of stream: EOF, or EIO on a pty

    int fd() const { return m_fd; }

    // Reads what is there, up to about `limit` bytes, into onData.
    void read(qsizetype limit);
    void write(const QByteArray &bytes);
    void close();

private:
    void flush();

    int m_fd;
    bool m_socket;
    QPointer<TerminalView> m_view;
    QSocketNotifier *m_reader = nullptr;
    QSocketNotifier *m_writer = nullptr;
    QByteArray m_output;
    bool m_atEnd = false;
};

} // namespace porthole::gui
