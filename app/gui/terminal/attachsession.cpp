#include "gui/terminal/attachsession.h"

#include "gui/terminal/fdchannel.h"
#include "gui/terminal/terminalview.h"

#include <QTimer>

#include <cerrno>

namespace porthole::gui {

namespace attach = runtime::attach;

namespace {

constexpr int ConnectAttempts = 50; // the shim listens just after the start
constexpr int ConnectRetryMs = 40;

// East Asian wide characters (Hangul, CJK, fullwidth forms, emoji), as
// wcwidth() counts them: erasing one takes two cells.
bool isWide(char32_t c)
{
    return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) || (c >= 0xac00 && c <= 0xd7a3)
        || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60)
        || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff)
        || (c >= 0x20000 && c <= 0x3fffd);
}

} // namespace

AttachSession::AttachSession(const QString &socketPath, bool tty, bool openStdin, QObject *parent)
    : TerminalSession(parent), m_path(socketPath), m_tty(tty), m_openStdin(openStdin)
{
}

AttachSession::~AttachSession()
{
    if (isActive())
        detach();
}

void AttachSession::begin()
{
    tryConnect();
}

void AttachSession::tryConnect()
{
    if (state() != State::Starting || !view())
        return;
    // A unix socket connects at once (the kernel queues it for the shim's
    // accept) or fails; it does not wait on the shim.
    auto fd = attach::connectUnix(m_path);
    if (!fd) {
        const int err = fd.error().sysErrno;
        if ((err == ENOENT || err == ECONNREFUSED) && ++m_attempts < ConnectAttempts) {
            QTimer::singleShot(ConnectRetryMs, this, &AttachSession::tryConnect);
            return;
        }
        finish(std::nullopt, tr("Could not attach to the container: %1").arg(fd.error().message));
        return;
    }
    m_channel = new FdChannel(*fd, true, view(), this);
    m_channel->onData = [this](const QByteArray &data) { onData(data); };
    m_channel->onEnd = [this] { onEnd(); };
    // The size goes first, so a program that starts now starts with it.
    if (m_tty)
        sendSize(view()->surface()->rows(), view()->surface()->cols());
    send(attach::Frame::Hello, QByteArray(1, m_openStdin ? attach::kWantStdin : 0));
    setRunning();
}

void AttachSession::send(attach::Frame frame, const QByteArray &payload)
{
    if (m_channel)
        m_channel->write(attach::encode(frame, payload));
}

void AttachSession::onData(const QByteArray &data)
{
    m_frames.append(data.constData(), data.size());
    QByteArray output;
    std::optional<attach::ExitStatus> exit;
    while (auto frame = m_frames.next()) {
        if (frame->first == attach::Frame::Stdout || frame->first == attach::Frame::Stderr) {
            // Without a pty nothing turns \n into \r\n on the way out.
            output += m_tty ? frame->second : QByteArray(frame->second).replace('\n', "\r\n");
        } else if (frame->first == attach::Frame::Exit) {
            exit = attach::parseExit(frame->second);
            break;
        }
    }
    if (!output.isEmpty() && view())
        view()->feed(output);
    if (exit || m_frames.overflowed()) {
        m_channel->close();
        if (exit)
            finish(exit->code, exit->message);
        else
            finish(std::nullopt, tr("The container's attach socket sent a malformed frame."));
    }
}

void AttachSession::onEnd()
{
    finish(std::nullopt, tr("The connection to the container closed."));
}

void AttachSession::leave()
{
    if (m_channel)
        m_channel->close(); // the shim drops this client; the container runs on
}

void AttachSession::sendBytes(const QByteArray &bytes)
{
    if (m_tty)
        send(attach::Frame::Stdin, bytes);
    else if (m_openStdin)
        editLine(bytes);
}

void AttachSession::sendSize(int rows, int cols)
{
    if (m_tty)
        send(attach::Frame::Resize, attach::resizePayload(rows, cols));
}

// Without a pty nobody echoes or edits: do what a cooked terminal does, so
// a line reaches the process only when Enter is pressed.
void AttachSession::editLine(const QByteArray &bytes)
{
    if (bytes.startsWith('\x1b'))
        return; // arrows and function keys mean nothing to a plain reader
    QByteArray echo;
    for (const char c : bytes) {
        if (c == '\r' || c == '\n') {
            echo += "\r\n";
            send(attach::Frame::Stdin, std::exchange(m_line, {}) + '\n');
        } else if (c == '\x7f' || c == '\b') {
            if (m_line.isEmpty())
                continue;
            qsizetype cut = m_line.size() - 1;
            while (cut > 0 && (uchar(m_line[cut]) & 0xc0) == 0x80)
                --cut; // a whole UTF-8 character
            const QString removed = QString::fromUtf8(m_line.mid(cut));
            m_line.truncate(cut);
            echo += isWide(removed.isEmpty() ? 0 : removed.toUcs4().value(0)) ? "\b\b  \b\b" : "\b \b";
        } else if (c == '\x04') { // Ctrl+D: the line as it is, or the end of input
            if (m_line.isEmpty())
                send(attach::Frame::StdinEof);
            else
                send(attach::Frame::Stdin, std::exchange(m_line, {}));
        } else if (c == '\x03') {
            echo += "^C\r\n";
            m_line.clear();
        } else if (uchar(c) >= 0x20 || c == '\t') {
            m_line += c;
            echo += c;
        }
    }
    if (!echo.isEmpty() && view())
        view()->feed(echo);
}

} // namespace porthole::gui
