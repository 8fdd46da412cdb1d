#include "gui/terminal/fdchannel.h"

#include "gui/terminal/terminalview.h"

#include <QSocketNotifier>

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace porthole::gui {

namespace {

constexpr qsizetype ReadChunk = 64 * 1024;
constexpr qsizetype ReadBatch = 256 * 1024;  // per wake-up, fed as one piece
constexpr qsizetype HighWater = 1024 * 1024; // view backlog that pauses reading

} // namespace

FdChannel::FdChannel(int fd, bool socket, TerminalView *view, QObject *parent)
    : QObject(parent), m_fd(fd), m_socket(socket), m_view(view)
{
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    m_reader = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_reader, &QSocketNotifier::activated, this, [this] { read(ReadBatch); });
    m_writer = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
    m_writer->setEnabled(false);
    connect(m_writer, &QSocketNotifier::activated, this, &FdChannel::flush);
    connect(view, &TerminalView::feedDrained, this, [this] {
        if (m_fd >= 0 && !m_atEnd)
            m_reader->setEnabled(true);
    });
}

FdChannel::~FdChannel()
{
    close();
}

void FdChannel::read(qsizetype limit)
{
    QByteArray data;
    while (m_fd >= 0 && !m_atEnd && data.size() < limit) {
        const qsizetype at = data.size();
        data.resize(at + ReadChunk);
        const ssize_t n = ::read(m_fd, data.data() + at, size_t(ReadChunk));
        data.resize(at + std::max<qsizetype>(n, 0));
        if (n > 0 || (n < 0 && errno == EINTR))
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        m_atEnd = true;
        m_reader->setEnabled(false);
    }
    const QPointer<FdChannel> alive(this);
    if (!data.isEmpty() && onData)
        onData(data); // may close or delete this
    if (!alive || m_fd < 0)
        return;
    if (m_view && m_view->pendingBytes() > HighWater)
        m_reader->setEnabled(false);
    if (m_atEnd && onEnd)
        std::exchange(onEnd, nullptr)();
}

void FdChannel::write(const QByteArray &bytes)
{
    m_output += bytes;
    flush();
}

void FdChannel::close()
{
    delete m_reader;
    delete m_writer;
    m_reader = m_writer = nullptr;
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_output.clear();
}

void FdChannel::flush()
{
    while (!m_output.isEmpty() && m_fd >= 0) {
        const size_t size = size_t(m_output.size());
        // A socket whose peer is gone must fail with EPIPE, not SIGPIPE.
        const ssize_t n = m_socket ? ::send(m_fd, m_output.constData(), size, MSG_NOSIGNAL)
                                   : ::write(m_fd, m_output.constData(), size);
        if (n > 0) {
            m_output.remove(0, n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            m_writer->setEnabled(true);
            return;
        } else {
            m_output.clear(); // nobody reads any more; the read side ends
        }
    }
    if (m_writer)
        m_writer->setEnabled(false);
}

} // namespace porthole::gui
