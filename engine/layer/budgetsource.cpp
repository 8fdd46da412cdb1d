#include "layer/budgetsource.h"

namespace porthole::layer {

Result<qint64> BudgetSource::read(char *buf, qint64 max)
{
    if (m_failed)
        return *m_failed;
    PH_TRY(const qint64 n, m_inner.read(buf, max));
    m_total += n;
    const qint64 packed = m_counter.compressedBytesRead();
    if (m_total > m_limits.maxBytes)
        m_failed = Error(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 is larger than the limit of %2 bytes").arg(m_what).arg(m_limits.maxBytes));
    else if (m_total > m_limits.ratioGraceBytes && packed > 0 && double(m_total) > m_limits.maxRatio * double(packed))
        m_failed = Error(ErrorCode::InvalidArgument, QStringLiteral("%1 compressed bytes expanded to %2, more than %3 times: "
                                                                    "refusing a likely decompression bomb")
                                                         .arg(packed).arg(m_total).arg(m_limits.maxRatio));
    if (m_failed)
        return *m_failed;
    if (m_progress)
        report(*m_progress, {m_progressId, QStringLiteral("Extracting"), packed, m_progressTotal});
    return n;
}

} // namespace porthole::layer
