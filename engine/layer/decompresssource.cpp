#include "layer/decompresssource.h"

#include <isa-l/igzip_lib.h>
#include <lzma.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace porthole::layer {

namespace {

constexpr qint64 kInputBlock = 1 << 20;
// The libraries count output in 32-bit fields; larger reads are split.
constexpr qint64 kMaxOutPerCall = 1 << 30;

Error corrupt(const QString &message) { return Error(ErrorCode::InvalidArgument, message); }

} // namespace

// One decompression library behind a common push interface; DecompressSource
// owns the input buffer and the end-of-stream logic.
class Decoder {
public:
    virtual ~Decoder() = default;
    // Decodes from in[0, inLen) into out[0, outLen); sets consumed; returns
    // the bytes produced. inputEnded: no input will follow what is given.
    virtual Result<qint64> decode(const char *in, qint64 inLen, qint64 &consumed, char *out, qint64 outLen,
                                  bool inputEnded) = 0;
    // True if the input so far ends cleanly after a member/frame/stream and
    // all of its output has been delivered.
    virtual bool atEnd() const = 0;
    // Gzip members or zstd frames (skippable ones included) decoded to their
    // end so far; xz streams are not counted.
    qint64 membersEnded() const { return m_membersEnded; }

protected:
    qint64 m_membersEnded = 0;
};

namespace {

class GzipDecoder final : public Decoder {
public:
    GzipDecoder() : m_state(std::make_unique<inflate_state>())
    {
        isal_inflate_init(m_state.get());
        m_state->crc_flag = ISAL_GZIP;
    }

    Result<qint64> decode(const char *in, qint64 inLen, qint64 &consumed, char *out, qint64 outLen,
                          bool) override
    {
        consumed = 0;
        inflate_state *s = m_state.get();
        if (s->block_state == ISAL_BLOCK_FINISH) {
            if (inLen == 0)
                return qint64(0);
            // Another member may follow (pigz, `cat a.gz b.gz`); anything
            // else is garbage that gzip -d would only warn about, but a layer
            // digest covers it, so we refuse rather than silently drop it.
            if (quint8(in[0]) != 0x1f || (inLen > 1 && quint8(in[1]) != 0x8b))
                return corrupt(QStringLiteral("gzip: data after member %1 is not a gzip member").arg(m_member));
            isal_inflate_reset(s);
            s->crc_flag = ISAL_GZIP;
            ++m_member;
        }
        s->next_in = reinterpret_cast<uint8_t *>(const_cast<char *>(in));
        s->avail_in = uint32_t(inLen);
        s->next_out = reinterpret_cast<uint8_t *>(out);
        s->avail_out = uint32_t(outLen);
        const int ret = isal_inflate(s);
        consumed = inLen - qint64(s->avail_in);
        if (ret < 0)
            return corrupt(QStringLiteral("gzip: %1 in member %2").arg(describe(ret)).arg(m_member));
        if (s->block_state == ISAL_BLOCK_FINISH)
            ++m_membersEnded; // a call never goes past the end of its member
        return outLen - qint64(s->avail_out);
    }

    bool atEnd() const override { return m_state->block_state == ISAL_BLOCK_FINISH; }

private:
    static QString describe(int ret)
    {
        switch (ret) {
        case ISAL_INVALID_BLOCK: return QStringLiteral("invalid deflate block");
        case ISAL_INVALID_SYMBOL: return QStringLiteral("invalid deflate symbol");
        case ISAL_INVALID_LOOKBACK: return QStringLiteral("back-reference before the start of the data");
        case ISAL_INVALID_WRAPPER: return QStringLiteral("invalid gzip header");
        case ISAL_UNSUPPORTED_METHOD: return QStringLiteral("compression method is not deflate");
        case ISAL_INCORRECT_CHECKSUM: return QStringLiteral("CRC-32 or length does not match the data");
        default: return QStringLiteral("isa-l error %1").arg(ret);
        }
    }

    std::unique_ptr<inflate_state> m_state; // ~50 KiB: keep it off the stack
    int m_member = 1;
};

class ZstdDecoder final : public Decoder {
public:
    ZstdDecoder() : m_ctx(ZSTD_createDCtx()) {}
    ~ZstdDecoder() override { ZSTD_freeDCtx(m_ctx); }
    bool valid() const { return m_ctx != nullptr; }

    Result<qint64> decode(const char *in, qint64 inLen, qint64 &consumed, char *out, qint64 outLen,
                          bool) override
    {
        ZSTD_inBuffer input{in, size_t(inLen), 0};
        ZSTD_outBuffer output{out, size_t(outLen), 0};
        const size_t ret = ZSTD_decompressStream(m_ctx, &output, &input);
        consumed = qint64(input.pos);
        if (ZSTD_isError(ret))
            return corrupt(QStringLiteral("zstd: %1").arg(QString::fromUtf8(ZSTD_getErrorName(ret))));
        // With no input at a frame boundary zstd asks for the next frame's
        // header (non-zero) even though the stream may be complete.
        if (input.pos > 0 || output.pos > 0) {
            // zstd returns at the end of each frame, skippable or not; 0 is
            // that end. A frame whose last output is flushed by a later call
            // with no input ends there instead.
            if (ret == 0 && (input.pos > 0 || m_frameRemaining != 0))
                ++m_membersEnded;
            m_frameRemaining = ret;
        }
        return qint64(output.pos);
    }

    // 0 means the last frame was fully decoded and flushed.
    bool atEnd() const override { return m_frameRemaining == 0; }

private:
    ZSTD_DCtx *m_ctx;
    size_t m_frameRemaining = 1;
};

class XzDecoder final : public Decoder {
public:
    XzDecoder() { m_initRet = lzma_stream_decoder(&m_strm, UINT64_MAX, LZMA_CONCATENATED); }
    ~XzDecoder() override { lzma_end(&m_strm); }
    bool valid() const { return m_initRet == LZMA_OK; }

    Result<qint64> decode(const char *in, qint64 inLen, qint64 &consumed, char *out, qint64 outLen,
                          bool inputEnded) override
    {
        consumed = 0;
        if (m_ended)
            return qint64(0);
        m_strm.next_in = reinterpret_cast<const uint8_t *>(in);
        m_strm.avail_in = size_t(inLen);
        m_strm.next_out = reinterpret_cast<uint8_t *>(out);
        m_strm.avail_out = size_t(outLen);
        // LZMA_CONCATENATED only reports the end once told no input follows.
        const lzma_ret ret = lzma_code(&m_strm, inputEnded ? LZMA_FINISH : LZMA_RUN);
        consumed = inLen - qint64(m_strm.avail_in);
        const qint64 produced = outLen - qint64(m_strm.avail_out);
        switch (ret) {
        case LZMA_OK:
        case LZMA_BUF_ERROR: // no progress possible: the caller decides if that is truncation
            return produced;
        case LZMA_STREAM_END:
            m_ended = true;
            return produced;
        case LZMA_FORMAT_ERROR: return corrupt(QStringLiteral("xz: the input is not in the .xz format"));
        case LZMA_OPTIONS_ERROR: return corrupt(QStringLiteral("xz: the stream uses unsupported options"));
        case LZMA_DATA_ERROR: return corrupt(QStringLiteral("xz: compressed data is corrupt"));
        case LZMA_MEM_ERROR: return Error(ErrorCode::Internal, QStringLiteral("xz: out of memory"));
        default: return corrupt(QStringLiteral("xz: liblzma error %1").arg(int(ret)));
        }
    }

    bool atEnd() const override { return m_ended; }

private:
    lzma_stream m_strm = LZMA_STREAM_INIT;
    lzma_ret m_initRet;
    bool m_ended = false;
};

Result<std::unique_ptr<Decoder>> makeDecoder(Compression c)
{
    switch (c) {
    case Compression::None:
        return std::unique_ptr<Decoder>();
    case Compression::Gzip:
        return std::unique_ptr<Decoder>(std::make_unique<GzipDecoder>());
    case Compression::Zstd: {
        auto d = std::make_unique<ZstdDecoder>();
        if (!d->valid())
            return Error(ErrorCode::Internal, QStringLiteral("zstd: cannot create a decompression context"));
        return std::unique_ptr<Decoder>(std::move(d));
    }
    case Compression::Xz: {
        auto d = std::make_unique<XzDecoder>();
        if (!d->valid())
            return Error(ErrorCode::Internal, QStringLiteral("xz: cannot initialise the decoder"));
        return std::unique_ptr<Decoder>(std::move(d));
    }
    }
    return Error(ErrorCode::InvalidArgument, QStringLiteral("unknown compression %1").arg(int(c)));
}

} // namespace

DecompressSource::DecompressSource(ByteSource &inner, Compression compression)
    : m_inner(inner), m_compression(compression)
{
    auto decoder = makeDecoder(compression);
    if (!decoder)
        m_failed = decoder.error();
    else
        m_decoder = std::move(*decoder);
    if (m_decoder)
        m_in = QByteArray(kInputBlock, Qt::Uninitialized);
}

DecompressSource::~DecompressSource() = default;

void DecompressSource::setMemberHook(std::function<Status(qint64)> hook)
{
    m_memberHook = std::move(hook);
}

qint64 DecompressSource::members() const
{
    return m_decoder ? m_decoder->membersEnded() : 0;
}

Status DecompressSource::chargeMembers()
{
    const qint64 ended = members();
    if (ended == m_membersCharged)
        return {};
    const qint64 fresh = ended - m_membersCharged;
    m_membersCharged = ended;
    return m_memberHook ? m_memberHook(fresh) : Status();
}

Error DecompressSource::fail(Error error)
{
    m_failed = error;
    return error;
}

Status DecompressSource::refill()
{
    m_inPos = m_inEnd = 0;
    PH_TRY(const qint64 n, m_inner.read(m_in.data(), m_in.size()));
    if (n == 0)
        m_innerEnded = true;
    m_inEnd = n;
    m_compressedIn += n;
    return {};
}

Result<qint64> DecompressSource::read(char *buf, qint64 max)
{
    if (m_failed)
        return *m_failed;
    if (max <= 0 || m_done)
        return qint64(0);
    if (!m_decoder) {
        auto n = m_inner.read(buf, max);
        if (!n)
            return fail(n.error());
        m_compressedIn += *n;
        return n;
    }
    max = std::min(max, kMaxOutPerCall);
    for (;;) {
        if (m_inPos == m_inEnd && !m_innerEnded) {
            if (Status s = refill(); !s)
                return fail(s.error());
        }
        qint64 consumed = 0;
        auto produced = m_decoder->decode(m_in.constData() + m_inPos, m_inEnd - m_inPos, consumed, buf, max,
                                          m_innerEnded);
        if (!produced)
            return fail(produced.error());
        m_inPos += consumed;
        if (Status charged = chargeMembers(); !charged)
            return fail(charged.error());
        if (*produced > 0)
            return produced;
        if (m_inPos < m_inEnd) {
            if (consumed == 0)
                return fail(Error(ErrorCode::Internal, QStringLiteral("%1: decoder made no progress")
                                                           .arg(compressionName(m_compression))));
            continue;
        }
        if (!m_innerEnded)
            continue;
        if (m_compressedIn == 0)
            return fail(corrupt(QStringLiteral("%1 stream is empty").arg(compressionName(m_compression))));
        if (!m_decoder->atEnd())
            return fail(corrupt(QStringLiteral("%1 stream is truncated").arg(compressionName(m_compression))));
        m_done = true;
        return qint64(0);
    }
}

Result<QByteArrayView> PeekSource::peek(qint64 n)
{
    if (m_headPos > 0) {
        m_head.remove(0, m_headPos);
        m_headPos = 0;
    }
    while (m_head.size() < n && !m_innerEnded) {
        const qint64 have = m_head.size();
        m_head.resize(n);
        auto got = m_inner.read(m_head.data() + have, n - have);
        if (!got) {
            m_head.resize(have);
            return got.error();
        }
        m_head.resize(have + *got);
        if (*got == 0)
            m_innerEnded = true;
    }
    return QByteArrayView(m_head.constData(), std::min<qint64>(n, m_head.size()));
}

Result<qint64> PeekSource::read(char *buf, qint64 max)
{
    if (m_headPos < m_head.size()) {
        const qint64 n = std::min<qint64>(max, m_head.size() - m_headPos);
        std::memcpy(buf, m_head.constData() + m_headPos, size_t(n));
        m_headPos += n;
        return n;
    }
    if (m_innerEnded)
        return qint64(0);
    return m_inner.read(buf, max);
}

namespace {

// Owns the peek and the decompressor so openDecompressed can hand out one
// object; DecompressSource is not movable, hence the in-place optional.
class DetectingSource final : public ByteSource {
public:
    explicit DetectingSource(ByteSource &raw) : m_peek(raw) {}

    Result<Compression> open()
    {
        PH_TRY(const QByteArrayView head, m_peek.peek(kCompressionMagicSize));
        const Compression c = detectCompression(head);
        m_source.emplace(m_peek, c);
        return c;
    }

    Result<qint64> read(char *buf, qint64 max) override { return m_source->read(buf, max); }

private:
    PeekSource m_peek;
    std::optional<DecompressSource> m_source;
};

} // namespace

Result<DecompressedStream> openDecompressed(ByteSource &raw)
{
    auto source = std::make_unique<DetectingSource>(raw);
    PH_TRY(const Compression c, source->open());
    return DecompressedStream{c, std::move(source)};
}

} // namespace porthole::layer
