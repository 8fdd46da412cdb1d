// The request and response values of httpclient.h, and the URL helpers
// the registry code shares. Plain values: no network, any thread.
#include "registry/httpclient.h"

#include <QHostAddress>

namespace porthole::registry {

static int findHeader(const HeaderList &headers, QByteArrayView name)
{
    for (int i = 0; i < headers.size(); ++i) {
        if (QByteArrayView(headers[i].first).compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

void HttpRequest::setHeader(const QByteArray &name, const QByteArray &value)
{
    removeHeader(name);
    headers.append({name, value});
}

void HttpRequest::removeHeader(const QByteArray &name)
{
    for (int i = findHeader(headers, name); i >= 0; i = findHeader(headers, name))
        headers.removeAt(i);
}

QByteArray HttpRequest::header(QByteArrayView name) const
{
    const int i = findHeader(headers, name);
    return i < 0 ? QByteArray() : headers[i].second;
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    const int i = findHeader(headers, name);
    return i < 0 ? QByteArray() : headers[i].second;
}

QList<QByteArray> HttpResponse::headerValues(QByteArrayView name) const
{
    QList<QByteArray> values;
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            values.append(value);
    }
    return values;
}

qint64 HttpResponse::contentLength() const
{
    bool ok = false;
    const qint64 n = header("Content-Length").trimmed().toLongLong(&ok);
    return ok && n >= 0 ? n : -1;
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QString bare = host;
    if (bare.startsWith(QLatin1Char('[')) && bare.endsWith(QLatin1Char(']')))
        bare = bare.mid(1, bare.size() - 2);
    const QHostAddress address(bare);
    return !address.isNull() && address.isLoopback();
}

QString urlAuthority(const QUrl &url)
{
    return url.port() > 0 ? url.host() + QLatin1Char(':') + QString::number(url.port()) : url.host();
}

} // namespace porthole::registry
