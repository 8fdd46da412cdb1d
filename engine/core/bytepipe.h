// A bounded in-memory pipe between two threads: one writes through sink(),
// the other reads through source() (commit writes a layer's tar and unpacks
// it at the same time, on two cores, instead of unpacking the compressed
// blob afterwards).
//
// write() blocks while the buffer is full, read() while it is empty. Either
// end can stop the other, so neither waits forever on a peer that gave up:
// the writer's sink().finish() is the end of stream, closeWriter(error)
// makes the reader's next read fail with that error; closeReader(error)
// makes the writer's next write fail with it. Thread-safe; one writer and
// one reader.
#pragma once

#include "core/bytestream.h"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

namespace porthole {

class BytePipe {
public:
    explicit BytePipe(qint64 capacity = 1 << 20);

    ByteSink &sink() { return m_sink; }
    ByteSource &source() { return m_source; }

    // The writer stops: with an error the reader fails, without one the
    // reader sees the end of the stream once the buffer is drained.
    void closeWriter(const std::optional<Error> &error = std::nullopt);
    // The reader stops: later (and blocked) writes fail with error.
    void closeReader(const Error &error);
    // The reader's error, if it has stopped: when a write fails, this tells
    // whether the reader's failure was the cause.
    std::optional<Error> readerError() const;

private:
    class Sink final : public ByteSink {
    public:
        explicit Sink(BytePipe &p) : m_p(p) {}
        Status write(const char *data, qint64 size) override { return m_p.write(data, size); }
        Status finish() override;

    private:
        BytePipe &m_p;
    };
    class Source final : public ByteSource {
    public:
        explicit Source(BytePipe &p) : m_p(p) {}
        Result<qint64> read(char *buf, qint64 max) override { return m_p.read(buf, max); }

    private:
        BytePipe &m_p;
    };

    Status write(const char *data, qint64 size);
    Result<qint64> read(char *buf, qint64 max);

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<char> m_ring;
    qint64 m_head = 0; // where the next read starts
    qint64 m_used = 0;
    bool m_writerClosed = false;
    std::optional<Error> m_writerError;
    std::optional<Error> m_readerError;
    Sink m_sink{*this};
    Source m_source{*this};
};

} // namespace porthole
