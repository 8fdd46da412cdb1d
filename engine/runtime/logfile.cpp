#include "runtime/logfile.h"

#include "store/fsutil.h"
#include "store/permissions.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <fcntl.h>
#include <unistd.h>

namespace porthole::runtime {

LogWriter::LogWriter(QString path, qint64 maxBytes) : m_path(std::move(path)), m_maxBytes(maxBytes)
{
    m_fd = ::open(QFile::encodeName(m_path).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                  store::kPrivateFileMode); // the output may hold secrets
    if (m_fd >= 0)
        m_size = ::lseek(m_fd, 0, SEEK_END);
}

LogWriter::~LogWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void LogWriter::rotateIfNeeded()
{
    if (m_size < m_maxBytes)
        return;
    ::close(m_fd);
    ::rename(QFile::encodeName(m_path).constData(), QFile::encodeName(m_path + QStringLiteral(".1")).constData());
    m_fd = ::open(QFile::encodeName(m_path).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
                  store::kPrivateFileMode);
    m_size = 0;
}

void LogWriter::write(const char *stream, const QByteArray &data)
{
    if (m_fd < 0)
        return;
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    qsizetype start = 0;
    while (start < data.size()) {
        qsizetype end = data.indexOf('\n', start);
        end = end < 0 ? data.size() : end + 1;
        QJsonObject o{{QStringLiteral("log"), QString::fromUtf8(data.mid(start, end - start))},
                      {QStringLiteral("stream"), QLatin1String(stream)},
                      {QStringLiteral("time"), now}};
        const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        if (store::writeAll(m_fd, line.constData(), line.size(), m_path))
            m_size += line.size();
        rotateIfNeeded();
        start = end;
    }
}

static void parseInto(const QByteArray &content, QList<LogLine> &out)
{
    for (const QByteArray &raw : content.split('\n')) {
        if (raw.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(raw).object();
        if (o.isEmpty())
            continue;
        out.append({QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs),
                    o.value(QStringLiteral("stream")).toString(), o.value(QStringLiteral("log")).toString().toUtf8()});
    }
}

Result<QList<LogLine>> readLog(const QString &path)
{
    QList<LogLine> out;
    if (auto old = store::readFile(path + QStringLiteral(".1"), 64 << 20))
        parseInto(*old, out);
    auto current = store::readFile(path, 64 << 20);
    if (!current && current.error().code != ErrorCode::NotFound)
        return current.error();
    if (current)
        parseInto(*current, out);
    return out;
}

} // namespace porthole::runtime
