// Streaming compression as a ByteSink: gzip through isa-l (fast, and what
// registries expect), zstd through libzstd, or a pass-through. The output is
// a standard .gz / .zst stream readable by gzip -d / zstd -d.
//
// Ownership: wraps an inner sink it does not own, which must outlive this
// object. finish() writes the trailer but does not finish the inner sink:
// its owner does that (it may want to verify or commit first). One thread.
#pragma once

#include "core/bytestream.h"
#include "layer/compression.h"

#include <QByteArray>

#include <memory>
#include <optional>

namespace porthole::layer {

class Encoder;

class CompressSink final : public ByteSink {
public:
    // Picks the format's default level: isa-l level 1 for gzip (its fast
    // level, still about zlib -6 in size), 3 for zstd (the zstd CLI default).
    static constexpr int kDefaultLevel = -1;

    // An invalid level or an unsupported format (xz) is reported by the
    // first write() or finish(); use checkLevel to validate up front.
    CompressSink(ByteSink &inner, Compression compression, int level = kDefaultLevel);
    ~CompressSink() override;

    Status write(const char *data, qint64 size) override;
    Status finish() override;

    // Gzip takes isa-l levels 0-3, zstd its own range (1-19, more with
    // --ultra, negative for faster); None ignores the level; xz is an error.
    static Status checkLevel(Compression compression, int level);

    // Compressed bytes handed to the inner sink so far.
    qint64 compressedBytesWritten() const { return m_written; }

private:
    Status flushOut(bool force);
    Status fail(Error error);

    ByteSink &m_inner;
    Compression m_compression;
    std::unique_ptr<Encoder> m_encoder;
    QByteArray m_out;
    qint64 m_outUsed = 0;
    qint64 m_written = 0;
    bool m_finished = false;
    std::optional<Error> m_failed;
};

} // namespace porthole::layer
