// BudgetSource: the unpacker's limits on decompressed bytes -- a total, and
// a ratio to the compressed bytes behind them once past a grace amount -- so
// a decompression bomb stops early with a clear error. Used for layers
// (unpacker) and for archives and their blobs (load). Reads pass through
// `inner`; `counter` is the DecompressSource whose compressed byte count
// the ratio is taken against (often inner itself), and which charges
// limits.memberCharge bytes for each gzip member or zstd frame it decodes,
// through its member hook, as it decodes them: a stream of members that
// produce nothing is a bomb too. A limit error is sticky. Optionally reports
// progress (compressed bytes read) after every read.
#pragma once

#include "core/bytestream.h"
#include "core/progress.h"
#include "layer/decompresssource.h"
#include "layer/unpacker.h"

#include <optional>

namespace porthole::layer {

class BudgetSource final : public ByteSource {
public:
    // what: the stream in errors ("the uncompressed layer is larger ...").
    // Sets counter's member hook; the destructor resets it.
    BudgetSource(ByteSource &inner, DecompressSource &counter, const UnpackLimits &limits,
                 QString what = QStringLiteral("the uncompressed data"));
    ~BudgetSource() override;

    // Reports {id, "Extracting", compressed bytes read, total} after each read.
    void setProgress(const ProgressSink *progress, QString id, qint64 total)
    {
        m_progress = progress;
        m_progressId = std::move(id);
        m_progressTotal = total;
    }

    Result<qint64> read(char *buf, qint64 max) override;

private:
    // Adds bytes (decompressed, or charged for members) and checks the limits.
    Status count(qint64 bytes);

    ByteSource &m_inner;
    DecompressSource &m_counter;
    const UnpackLimits &m_limits;
    QString m_what;
    const ProgressSink *m_progress = nullptr;
    QString m_progressId;
    qint64 m_progressTotal = -1;
    qint64 m_total = 0;
    std::optional<Error> m_failed;
};

} // namespace porthole::layer
