// Shared by the compression tests (tst_compression: detection, media types
// and the source/sink API; tst_compressioninterop: streams checked against
// the real gzip, zstd and xz tools, and broken streams): in-memory sources
// and sinks, sample data, and running the tools as filters.
#pragma once

#include "core/bytestream.h"
#include "layer/compresssink.h"
#include "layer/decompresssource.h"
#include "support/testsupport.h"

#include <QRandomGenerator>
#include <QtTest>

#include <algorithm>
#include <cstring>

Q_DECLARE_METATYPE(porthole::layer::Compression)

namespace porthole::test::compression {

using namespace porthole::layer;

// Serves a byte array in reads of at most `chunk` bytes, like a slow pipe.
class ArraySource final : public ByteSource {
public:
    explicit ArraySource(QByteArray data, qint64 chunk = 1 << 30) : m_data(std::move(data)), m_chunk(chunk) {}
    Result<qint64> read(char *buf, qint64 max) override
    {
        const qint64 n = std::min({max, m_chunk, qint64(m_data.size()) - m_pos});
        memcpy(buf, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }

private:
    QByteArray m_data;
    qint64 m_chunk;
    qint64 m_pos = 0;
};

class ArraySink final : public ByteSink {
public:
    Status write(const char *data, qint64 size) override
    {
        if (failAfter >= 0 && bytes.size() + size > failAfter)
            return Error(ErrorCode::Io, QStringLiteral("disk full"));
        bytes.append(data, size);
        return {};
    }
    QByteArray bytes;
    qint64 failAfter = -1;
};

// Text lines interleaved with random runs, so compressors emit both
// match-heavy and literal/stored blocks.
inline QByteArray sampleData(qsizetype size, quint32 seed = 7)
{
    QRandomGenerator rng(seed);
    QByteArray out;
    out.reserve(size + 4096);
    while (out.size() < size) {
        if (rng.bounded(5) == 0) {
            const int run = 1 + int(rng.bounded(4096));
            for (int i = 0; i < run; ++i)
                out.append(char(rng.bounded(256)));
        } else {
            out.append(QByteArray("usr/lib/x86_64-linux-gnu/libexample.so.") + QByteArray::number(rng.bounded(100000))
                       + " owner=root mode=0644\n");
        }
    }
    out.truncate(size);
    return out;
}

inline Result<QByteArray> decompress(const QByteArray &data, Compression c, qint64 readSize = 1 << 20,
                              qint64 innerChunk = 1 << 30)
{
    ArraySource raw(data, innerChunk);
    DecompressSource source(raw, c);
    QByteArray out;
    QByteArray buf(readSize, Qt::Uninitialized);
    for (;;) {
        PH_TRY(const qint64 n, source.read(buf.data(), buf.size()));
        if (n == 0)
            return out;
        out.append(buf.constData(), n);
    }
}

inline Result<QByteArray> compress(const QByteArray &data, Compression c, int level = CompressSink::kDefaultLevel,
                            qint64 writeSize = 1 << 20)
{
    ArraySink sink;
    CompressSink compressor(sink, c, level);
    for (qint64 pos = 0; pos < data.size(); pos += writeSize)
        PH_CHECK(compressor.write(data.constData() + pos, std::min(writeSize, data.size() - pos)));
    PH_CHECK(compressor.finish());
    return sink.bytes;
}

inline QString tool(Compression c)
{
    switch (c) {
    case Compression::Gzip: return QStringLiteral("gzip");
    case Compression::Zstd: return QStringLiteral("zstd");
    case Compression::Xz: return QStringLiteral("xz");
    case Compression::None: break;
    }
    return {};
}

// Runs the tool as a filter; fails the test (empty result) if it fails.
inline QByteArray runTool(Compression c, const QStringList &args, const QByteArray &input)
{
    const test::RunResult r = test::runProgram(tool(c), args, input);
    if (r.exitCode != 0)
        qWarning() << tool(c) << args << "failed:" << r.exitCode << r.err;
    return r.exitCode == 0 ? r.out : QByteArray("tool failed");
}

inline QByteArray toolCompress(Compression c, const QByteArray &input)
{
    return runTool(c, {QStringLiteral("-c"), QStringLiteral("-q")}, input);
}

#define REQUIRE_TOOL(c)                                                                                               \
    if (!test::haveProgram(tool(c)))                                                                                  \
    QSKIP(qPrintable(tool(c) + QStringLiteral(" is not installed")))

} // namespace porthole::test::compression
