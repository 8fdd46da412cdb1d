#include "layer/compresssink.h"

#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include <algorithm>

namespace porthole::layer {

namespace {

constexpr qint64 kOutputBlock = 1 << 20;
// Flush before the buffer is completely full so the encoders always have
// room for a block header or trailer in one call.
constexpr qint64 kMinOutSpace = 64 << 10;
// The libraries count input in 32-bit fields; larger writes are split.
constexpr qint64 kMaxInPerCall = 1 << 30;

constexpr int kGzipDefaultLevel = 1;
constexpr int kZstdDefaultLevel = 3;

} // namespace

// One compression library behind a common push interface.
class Encoder {
public:
    virtual ~Encoder() = default;
    // Compresses in[0, inLen) into out[0, outLen), setting consumed and
    // produced. With finish set (and no input) it writes the trailer; done
    // becomes true once everything has been emitted.
    virtual Status encode(const char *in, qint64 inLen, qint64 &consumed, char *out, qint64 outLen,
                          qint64 &produced, bool finish, bool &done) = 0;
};

namespace {

class GzipEncoder final : public Encoder {
public:
    explicit GzipEncoder(int level) : m_stream(std::make_unique<isal_zstream>())
    {
        isal_deflate_init(m_stream.get());
        m_stream->gzip_flag = IGZIP_GZIP; // generic header with mtime 0: reproducible output
        m_stream->level = uint32_t(level);
        m_stream->flush = NO_FLUSH;
        const qint64 bufSize = levelBufferSize(level);
        if (bufSize > 0) {
            m_levelBuf.reset(new uint8_t[size_t(bufSize)]);
            m_stream->level_buf = m_levelBuf.get();
            m_stream->level_buf_size = uint32_t(bufSize);
        }
    }

    Status encode(const char *in, qint64 inLen, qint64 &consumed, char *out, qint64 outLen, qint64 &produced,
                  bool finish, bool &done) override
    {
        isal_zstream *z = m_stream.get();
        z->next_in = reinterpret_cast<uint8_t *>(const_cast<char *>(in));
        z->avail_in = uint32_t(inLen);
        z->next_out = reinterpret_cast<uint8_t *>(out);
        z->avail_out = uint32_t(outLen);
        z->end_of_stream = finish ? 1 : 0;
        const int ret = isal_deflate(z);
        consumed = inLen - qint64(z->avail_in);
        produced = outLen - qint64(z->avail_out);
        if (ret != COMP_OK)
            return Error(ErrorCode::Internal, QStringLiteral("gzip: isa-l deflate failed with code %1").arg(ret));
        done = finish && z->internal_state.state == ZSTATE_END;
        return {};
    }

private:
    static qint64 levelBufferSize(int level)
    {
        switch (level) {
        case 1: return ISAL_DEF_LVL1_DEFAULT;
        case 2: return ISAL_DEF_LVL2_DEFAULT;
        case 3: return ISAL_DEF_LVL3_DEFAULT;
        default: return 0;
        }
    }

    std::unique_ptr<isal_zstream> m_stream; // large: keep it off the stack
    std::unique_ptr<uint8_t[]> m_levelBuf;
};

class ZstdEncoder final : public Encoder {
public:
    explicit ZstdEncoder(int level) : m_ctx(ZSTD_createCCtx())
    {
        if (!m_ctx)
            return;
        // The checksum is what lets zstd -d (and we) detect corruption.
        ZSTD_CCtx_setParameter(m_ctx, ZSTD_c_compressionLevel, level);
        ZSTD_CCtx_setParameter(m_ctx, ZSTD_c_checksumFlag, 1);
    }
    ~ZstdEncoder() override { ZSTD_freeCCtx(m_ctx); }
    bool valid() const { return m_ctx != nullptr; }

    Status encode(const char *in, qint64 inLen, qint64 &consumed, char *out, qint64 outLen, qint64 &produced,
                  bool finish, bool &done) override
    {
        ZSTD_inBuffer input{in, size_t(inLen), 0};
        ZSTD_outBuffer output{out, size_t(outLen), 0};
        const size_t ret = ZSTD_compressStream2(m_ctx, &output, &input, finish ? ZSTD_e_end : ZSTD_e_continue);
        consumed = qint64(input.pos);
        produced = qint64(output.pos);
        if (ZSTD_isError(ret))
            return Error(ErrorCode::Internal,
                         QStringLiteral("zstd: %1").arg(QString::fromUtf8(ZSTD_getErrorName(ret))));
        done = finish && ret == 0;
        return {};
    }

private:
    ZSTD_CCtx *m_ctx;
};

} // namespace

Status CompressSink::checkLevel(Compression compression, int level)
{
    switch (compression) {
    case Compression::None:
        return {};
    case Compression::Gzip:
        if (level == kDefaultLevel || (level >= 0 && level <= ISAL_DEF_MAX_LEVEL))
            return {};
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("gzip compression level %1 is outside isa-l's range 0-%2")
                         .arg(level)
                         .arg(ISAL_DEF_MAX_LEVEL));
    case Compression::Zstd:
        if (level == kDefaultLevel || (level >= ZSTD_minCLevel() && level <= ZSTD_maxCLevel()))
            return {};
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("zstd compression level %1 is outside the range %2 to %3")
                         .arg(level)
                         .arg(ZSTD_minCLevel())
                         .arg(ZSTD_maxCLevel()));
    case Compression::Xz:
        break;
    }
    return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 compression is not supported for writing layers")
                                                 .arg(compressionName(compression)));
}

CompressSink::CompressSink(ByteSink &inner, Compression compression, int level)
    : m_inner(inner), m_compression(compression)
{
    if (Status s = checkLevel(compression, level); !s) {
        m_failed = s.error();
        return;
    }
    if (compression == Compression::Gzip) {
        m_encoder = std::make_unique<GzipEncoder>(level == kDefaultLevel ? kGzipDefaultLevel : level);
    } else if (compression == Compression::Zstd) {
        auto zstd = std::make_unique<ZstdEncoder>(level == kDefaultLevel ? kZstdDefaultLevel : level);
        if (!zstd->valid()) {
            m_failed = Error(ErrorCode::Internal, QStringLiteral("zstd: cannot create a compression context"));
            return;
        }
        m_encoder = std::move(zstd);
    }
    if (m_encoder)
        m_out = QByteArray(kOutputBlock, Qt::Uninitialized);
}

CompressSink::~CompressSink() = default;

Status CompressSink::fail(Error error)
{
    m_failed = error;
    return error;
}

Status CompressSink::flushOut(bool force)
{
    if (m_outUsed == 0 || (!force && m_out.size() - m_outUsed >= kMinOutSpace))
        return {};
    PH_CHECK(m_inner.write(m_out.constData(), m_outUsed));
    m_written += m_outUsed;
    m_outUsed = 0;
    return {};
}

Status CompressSink::write(const char *data, qint64 size)
{
    if (m_failed)
        return *m_failed;
    if (m_finished)
        return fail(Error(ErrorCode::FailedPrecondition,
                          QStringLiteral("%1 compressor: write after finish").arg(compressionName(m_compression))));
    if (!m_encoder) {
        if (Status s = m_inner.write(data, size); !s)
            return fail(s.error());
        m_written += size;
        return {};
    }
    while (size > 0) {
        if (Status s = flushOut(false); !s)
            return fail(s.error());
        qint64 consumed = 0, produced = 0;
        bool done = false;
        Status s = m_encoder->encode(data, std::min(size, kMaxInPerCall), consumed, m_out.data() + m_outUsed,
                                     m_out.size() - m_outUsed, produced, false, done);
        if (!s)
            return fail(s.error());
        data += consumed;
        size -= consumed;
        m_outUsed += produced;
        if (consumed == 0 && produced == 0)
            return fail(Error(ErrorCode::Internal, QStringLiteral("%1 compressor made no progress")
                                                       .arg(compressionName(m_compression))));
    }
    return {};
}

Status CompressSink::finish()
{
    if (m_failed)
        return *m_failed;
    if (m_finished)
        return {};
    m_finished = true;
    if (!m_encoder)
        return {};
    for (bool done = false; !done;) {
        if (Status s = flushOut(false); !s)
            return fail(s.error());
        qint64 consumed = 0, produced = 0;
        Status s = m_encoder->encode(nullptr, 0, consumed, m_out.data() + m_outUsed, m_out.size() - m_outUsed,
                                     produced, true, done);
        if (!s)
            return fail(s.error());
        m_outUsed += produced;
        if (!done && produced == 0)
            return fail(Error(ErrorCode::Internal, QStringLiteral("%1 compressor made no progress finishing")
                                                       .arg(compressionName(m_compression))));
    }
    if (Status s = flushOut(true); !s)
        return fail(s.error());
    return {};
}

} // namespace porthole::layer
