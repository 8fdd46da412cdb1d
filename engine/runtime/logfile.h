// The container's log, in docker's json-file format (one JSON object per
// line: log, stream, time), bounded: past the size limit the file becomes
// container.log.1 (replacing the older one) and a new one starts.
// LogWriter belongs to the shim; readLog may run anywhere at any time.
#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace porthole::runtime {

class LogWriter {
public:
    explicit LogWriter(QString path, qint64 maxBytes = 10 << 20);
    ~LogWriter();
    // Splits data into lines (a partial last line is written as is, like docker).
    void write(const char *stream, const QByteArray &data);

private:
    void rotateIfNeeded();
    QString m_path;
    qint64 m_maxBytes;
    int m_fd = -1;
    qint64 m_size = 0;
};

struct LogLine {
    QDateTime time;
    QString stream;  // "stdout" or "stderr"
    QByteArray text; // with its newline, if it had one
};

// Reads what the log holds from offset on (both files); returns the lines
// and, through nextOffset, where to continue (for `logs -f`).
Result<QList<LogLine>> readLog(const QString &path);

} // namespace porthole::runtime
