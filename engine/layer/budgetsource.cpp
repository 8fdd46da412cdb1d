#include "layer/budgetsource.h"

namespace porthole::layer {

BudgetSource::BudgetSource(ByteSource &inner, DecompressSource &counter, const UnpackLimits &limits, QString what)
    : m_inner(inner), m_counter(counter), m_limits(limits), m_what(std::move(what))
{
    m_counter.setMemberHook([this](qint64 members) { return count(members * m_limits.memberCharge); });
}

BudgetSource::~BudgetSource() { m_counter.setMemberHook({}); }

Status BudgetSource::count(qint64 bytes)
{
    if (m_failed)
        return *m_failed;
    m_total += bytes;
    const qint64 packed = m_counter.compressedBytesRead();
    if (m_total > m_limits.maxBytes) {
        m_failed = Error(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 is larger than the limit of %2 bytes").arg(m_what).arg(m_limits.maxBytes));
    } else if (m_total > m_limits.ratioGraceBytes && packed > 0
               && double(m_total) > m_limits.maxRatio * double(packed)) {
        const qint64 members = m_counter.members();
        const QString counted = members <= 1 ? QString()
                                             : QStringLiteral(" (counting %1 bytes for each of %2 gzip members or zstd frames)")
                                                   .arg(m_limits.memberCharge)
                                                   .arg(members);
        m_failed = Error(ErrorCode::InvalidArgument, QStringLiteral("%1 compressed bytes expanded to %2%3, more than %4 "
                                                                    "times: refusing a likely decompression bomb")
                                                         .arg(packed)
                                                         .arg(m_total)
                                                         .arg(counted)
                                                         .arg(m_limits.maxRatio));
    }
    if (m_failed)
        return *m_failed;
    return {};
}

Result<qint64> BudgetSource::read(char *buf, qint64 max)
{
    if (m_failed)
        return *m_failed;
    PH_TRY(const qint64 n, m_inner.read(buf, max));
    PH_CHECK(count(n));
    if (m_progress)
        report(*m_progress,
               {m_progressId, QStringLiteral("Extracting"), m_counter.compressedBytesRead(), m_progressTotal});
    return n;
}

} // namespace porthole::layer
