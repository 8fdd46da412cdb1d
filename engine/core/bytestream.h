// Pull-based byte streams: the shape every engine pipeline takes
// (file -> hash -> decompress -> hash -> tar reader), because libarchive pulls.
// A ByteSource is read by one thread at a time; it does not own what it wraps
// unless it says so.
#pragma once

#include "core/digest.h"
#include "core/result.h"

#include <QString>

#include <functional>
#include <memory>

namespace porthole {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to max bytes into buf. Returns the count; 0 means end of stream.
    virtual Result<qint64> read(char *buf, qint64 max) = 0;
};

class ByteSink {
public:
    virtual ~ByteSink() = default;
    virtual Status write(const char *data, qint64 size) = 0;
    // Flushes whatever the sink buffers (a compressor's trailer). Called once.
    virtual Status finish() { return {}; }
};

// Reads a file descriptor it does not own (stdin, an open file).
class FdSource final : public ByteSource {
public:
    FdSource(int fd, QString name) : m_fd(fd), m_name(std::move(name)) {}
    Result<qint64> read(char *buf, qint64 max) override;

private:
    int m_fd;
    QString m_name;
};

// Opens and owns a file; reads it sequentially.
class FileSource final : public ByteSource {
public:
    ~FileSource() override;
    static Result<std::unique_ptr<FileSource>> open(const QString &path);
    Result<qint64> read(char *buf, qint64 max) override;
    int fd() const { return m_fd; }

private:
    FileSource(int fd, QString path) : m_fd(fd), m_path(std::move(path)) {}
    int m_fd;
    QString m_path;
};

// Reads from a byte array it does not own (tests, small documents).
class MemorySource final : public ByteSource {
public:
    explicit MemorySource(QByteArrayView data) : m_data(data) {}
    Result<qint64> read(char *buf, qint64 max) override;

private:
    QByteArrayView m_data;
    qint64 m_pos = 0;
};

// Passes bytes through while computing their SHA-256 and counting them, and
// optionally copies them to a tee sink (e.g. the blob being written).
class DigestingSource final : public ByteSource {
public:
    explicit DigestingSource(ByteSource &inner, ByteSink *tee = nullptr) : m_inner(inner), m_tee(tee) {}
    Result<qint64> read(char *buf, qint64 max) override;

    quint64 bytes() const { return m_hash.bytesHashed(); }
    Digest finish() { return m_hash.finish(); }

private:
    ByteSource &m_inner;
    ByteSink *m_tee;
    Sha256 m_hash;
};

// Passes bytes through and copies them to a sink (the blob being written),
// without hashing: the sink may hash them itself.
class TeeSource final : public ByteSource {
public:
    TeeSource(ByteSource &inner, ByteSink &sink) : m_inner(inner), m_sink(sink) {}
    Result<qint64> read(char *buf, qint64 max) override;

private:
    ByteSource &m_inner;
    ByteSink &m_sink;
};

// Passes bytes on to a sink while computing their SHA-256 (the diff_id of a
// tar on its way to a compressor). Does not own the inner sink; finish()
// finishes it.
class DigestingSink final : public ByteSink {
public:
    explicit DigestingSink(ByteSink &inner) : m_inner(inner) {}
    Status write(const char *data, qint64 size) override
    {
        m_hash.update(data, size_t(size));
        return m_inner.write(data, size);
    }
    Status finish() override { return m_inner.finish(); }
    quint64 bytes() const { return m_hash.bytesHashed(); }
    Digest digest() { return m_hash.finish(); }

private:
    ByteSink &m_inner;
    Sha256 m_hash;
};

// Writes every byte to two sinks (a layer's tar to its compressor and to its
// unpacker); finish() finishes both. Owns neither.
class TeeSink final : public ByteSink {
public:
    TeeSink(ByteSink &first, ByteSink &second) : m_first(first), m_second(second) {}
    Status write(const char *data, qint64 size) override
    {
        PH_CHECK(m_first.write(data, size));
        return m_second.write(data, size);
    }
    Status finish() override
    {
        PH_CHECK(m_first.finish());
        return m_second.finish();
    }

private:
    ByteSink &m_first;
    ByteSink &m_second;
};

// One source after the other (a resumed download: the bytes on disk, then
// the rest from the network). Owns neither.
class ConcatSource final : public ByteSource {
public:
    ConcatSource(ByteSource &first, ByteSource &second) : m_first(first), m_second(second) {}
    Result<qint64> read(char *buf, qint64 max) override;

private:
    ByteSource &m_first;
    ByteSource &m_second;
    bool m_firstDone = false;
};

// Passes on at most `limit` bytes of inner, and fails with an
// InvalidArgument error carrying `overflow` (a sentence naming the source)
// as soon as inner offers one byte more: a body longer than it was declared
// is wrong, not merely long, so it is refused rather than cut. Never asks
// inner for more than limit + 1 bytes in all. The error is sticky. Does
// not own inner.
class LimitedSource final : public ByteSource {
public:
    LimitedSource(ByteSource &inner, qint64 limit, QString overflow)
        : m_inner(inner), m_limit(limit), m_overflow(std::move(overflow)) {}
    Result<qint64> read(char *buf, qint64 max) override;
    qint64 bytesRead() const { return m_read; }

private:
    ByteSource &m_inner;
    qint64 m_limit;
    QString m_overflow;
    qint64 m_read = 0;
    bool m_failed = false;
};

// Reads the source to its end, throwing the bytes away (after a tar reader
// stops at the end-of-archive marker, the padding still has to be hashed).
Status drain(ByteSource &source);

// Copies source to sink until the end of source.
Status copyStream(ByteSource &source, ByteSink &sink);

} // namespace porthole
