// The attach socket's wire format, shared by the shim (server) and every
// client (CLI `attach`/`run`, the GUI terminal). A frame is a type byte, a
// 4-byte big-endian length and the payload. Value functions; no I/O here
// beyond the blocking helpers for clients.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace porthole::runtime::attach {

enum class Frame : char {
    Hello = 'h',  // client -> shim: flags byte (kWantStdin | kStartNow)
    Stdin = 'i',  // client -> shim: bytes for the container's stdin / pty
    StdinEof = 'e',
    Resize = 'w', // client -> shim: rows, cols (2 bytes each, big endian)
    Stdout = 'o', // shim -> client
    Stderr = 'r',
    Exit = 'x',   // shim -> client: exit code (4 bytes) and an error text
};

inline constexpr char kWantStdin = 1;
inline constexpr char kStartNow = 2; // the container waits for its first client

QByteArray encode(Frame type, const QByteArray &payload = {});
QByteArray resizePayload(int rows, int cols);
bool parseResize(const QByteArray &payload, int &rows, int &cols);

// What an Exit frame says: the process's exit code (4 bytes, big endian,
// signed) and, after it, why the container ended without a status of its
// own (an exec failure); the text is empty after a normal exit.
struct ExitStatus {
    int code = 0;
    QString message;
};
// A payload too short to hold a code reads as code 0 and no text: the frame
// still means the end, and clients have always taken it so.
ExitStatus parseExit(const QByteArray &payload);

// Takes whole frames off the front of a buffer as bytes arrive.
class FrameReader {
public:
    void append(const char *data, qsizetype size) { m_buffer.append(data, size); }
    // The next whole frame, if one has arrived.
    std::optional<std::pair<Frame, QByteArray>> next();
    // More buffered than any valid peer sends: the peer is misbehaving.
    bool overflowed() const { return m_buffer.size() > (16 << 20); }

private:
    QByteArray m_buffer;
};

// A listening (non-blocking) or connected unix socket at path. Paths longer
// than sun_path allows (a deep store root) go through /proc/self/fd/N of
// their directory, so any store location works.
Result<int> listenUnix(const QString &path);
Result<int> connectUnix(const QString &path);

// Writes all of data to a blocking socket.
Status writeAll(int fd, const QByteArray &data);

} // namespace porthole::runtime::attach
