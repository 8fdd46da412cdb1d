// Streaming decompression as a ByteSource, so a pipeline stays pull-based:
// file -> DigestingSource -> DecompressSource -> tar reader. Gzip is inflated
// by isa-l, zstd by libzstd, xz by liblzma; each checks its own integrity
// data (gzip CRC-32 and length, zstd/xz checksums when present).
//
// Ownership: every class here wraps an inner source it does not own; the
// inner source must outlive the wrapper. One thread at a time, like any
// ByteSource.
#pragma once

#include "core/bytestream.h"
#include "layer/compression.h"

#include <QByteArray>
#include <QByteArrayView>

#include <functional>
#include <memory>
#include <optional>

namespace porthole::layer {

class Decoder;

// Decompresses the inner source. Concatenated gzip members, zstd frames and
// xz streams are read as one stream. A truncated or corrupt stream, trailing
// bytes that are not another member/frame, or an empty input for a
// compressed format are InvalidArgument errors whose message names the format
// ("gzip stream is truncated", "zstd: Restored data doesn't match checksum").
// Errors of the inner source are passed on unchanged. After an error the
// source stays failed: every later read returns the same error.
//
// read() decompresses straight into the caller's buffer; the compressed side
// is pulled from the inner source in 1 MiB blocks.
class DecompressSource final : public ByteSource {
public:
    DecompressSource(ByteSource &inner, Compression compression);
    ~DecompressSource() override;

    Result<qint64> read(char *buf, qint64 max) override;

    Compression compression() const { return m_compression; }
    // Compressed bytes pulled from the inner source so far.
    qint64 compressedBytesRead() const { return m_compressedIn; }
    // Gzip members and zstd frames (skippable ones included) decoded so far.
    qint64 members() const;

    // Called from read() with the number of members or frames that just
    // ended, before read() goes on to the next; an error it returns becomes
    // the stream's error. A member may produce no bytes at all (an empty
    // gzip member, a zstd skippable frame), and read() does not return
    // until it has some, so a budget on the output alone would never see a
    // stream of them: the hook lets one (BudgetSource) charge for each.
    // The hook must outlive the reads, or be reset first.
    void setMemberHook(std::function<Status(qint64 members)> hook);

private:
    Status refill();
    Status chargeMembers();
    Error fail(Error error);

    ByteSource &m_inner;
    Compression m_compression;
    std::unique_ptr<Decoder> m_decoder;
    QByteArray m_in;
    qint64 m_inPos = 0;
    qint64 m_inEnd = 0;
    qint64 m_compressedIn = 0;
    qint64 m_membersCharged = 0;
    std::function<Status(qint64)> m_memberHook;
    bool m_innerEnded = false;
    bool m_done = false;
    std::optional<Error> m_failed;
};

// Lets a caller look at the first bytes of a stream that cannot seek (stdin,
// a socket, an HTTP body) and then read the stream from its first byte.
class PeekSource final : public ByteSource {
public:
    explicit PeekSource(ByteSource &inner) : m_inner(inner) {}

    // Reads from the inner source until n bytes are buffered or it ends, and
    // returns the buffered head (shorter than n only at the end of stream).
    // The view stays valid until the next read().
    Result<QByteArrayView> peek(qint64 n);

    // Serves the peeked bytes first, then reads the inner source directly.
    Result<qint64> read(char *buf, qint64 max) override;

private:
    ByteSource &m_inner;
    QByteArray m_head;
    qint64 m_headPos = 0;
    bool m_innerEnded = false;
};

struct DecompressedStream {
    Compression compression = Compression::None;
    std::unique_ptr<ByteSource> source; // the decompressed bytes; refers to raw
};

// Detects the compression of raw from its magic bytes (peeking, so nothing is
// lost: `import -` from a pipe works) and returns a source of the
// decompressed bytes. raw must outlive the returned source. Wrap raw in a
// DigestingSource first to hash the compressed bytes.
Result<DecompressedStream> openDecompressed(ByteSource &raw);

} // namespace porthole::layer
