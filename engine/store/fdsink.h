// FdSink: a ByteSink over a file descriptor it does not own (a file being
// saved or exported, standard output, one end of a socket pair). Small
// pieces (tar headers, padding) are gathered; large ones go straight
// through. Options: writeBehind, for a file that is fsync'ed at the end,
// starts the disk writes every few MiB so they overlap the work instead of
// all waiting for the final fsync; socket sends with MSG_NOSIGNAL, so a
// reader that gave up is an EPIPE error rather than a fatal signal.
// finish() writes what is gathered. One thread at a time.
#pragma once

#include "core/bytestream.h"

#include <QByteArray>
#include <QString>

namespace porthole::store {

class FdSink final : public ByteSink {
public:
    struct Options {
        bool writeBehind = false;
        bool socket = false;
    };
    // name says what is written to, in errors ("write x.tar: ...").
    FdSink(int fd, QString name, Options options);
    FdSink(int fd, QString name) : FdSink(fd, std::move(name), Options{}) {}

    Status write(const char *data, qint64 size) override;
    Status finish() override { return flush(); }
    // Bytes handed on so far (written or gathered).
    qint64 bytes() const { return m_written + m_used; }

private:
    Status flush();
    Status out(const char *data, qint64 size);

    int m_fd;
    QString m_name;
    Options m_options;
    QByteArray m_buf;
    qint64 m_used = 0;
    qint64 m_written = 0;
    qint64 m_started = 0; // written up to here and handed to the disk
};

} // namespace porthole::store
