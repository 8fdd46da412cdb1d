#include "support/registryfixture.h"

#include "support/testsupport.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <csignal>
#include <cstring>
#include <sys/prctl.h>


namespace porthole::test {

// --- scripted HTTP server -----------------------------------------------------------------

static int findHeader(const QList<std::pair<QByteArray, QByteArray>> &headers, QByteArrayView name)
{
    for (int i = 0; i < headers.size(); ++i) {
        if (QByteArrayView(headers[i].first).compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

QByteArray TestHttpRequest::header(QByteArrayView name) const
{
    const int i = findHeader(headers, name);
    return i < 0 ? QByteArray() : headers[i].second;
}

bool TestHttpRequest::hasHeader(QByteArrayView name) const
{
    return findHeader(headers, name) >= 0;
}

TestHttpResponse TestHttpResponse::json(int status, const QByteArray &body)
{
    TestHttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body;
    return r;
}

static QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 206: return "Partial Content";
    case 302: return "Found";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

// Parses one request from the front of buf; nullopt while incomplete.
static std::optional<TestHttpRequest> parseRequest(const QByteArray &buf)
{
    const int end = buf.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    const QList<QByteArray> lines = buf.left(end).split('\n');
    TestHttpRequest req;
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    req.method = first.value(0);
    req.target = first.value(1);
    for (int i = 1; i < lines.size(); ++i) {
        const int colon = lines[i].indexOf(':');
        if (colon > 0)
            req.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    const qint64 length = req.header("Content-Length").toLongLong();
    if (buf.size() < end + 4 + length)
        return std::nullopt;
    req.body = buf.mid(end + 4, length);
    QByteArray rest = req.target;
    if (rest.startsWith("http://") || rest.startsWith("https://")) {
        const int slash = rest.indexOf('/', rest.indexOf("//") + 2);
        rest = slash < 0 ? QByteArray("/") : rest.mid(slash);
    }
    const int q = rest.indexOf('?');
    req.path = q < 0 ? rest : rest.left(q);
    req.query = q < 0 ? QByteArray() : rest.mid(q + 1);
    return req;
}

class TestHttpServer::Thread : public QThread {
public:
    explicit Thread(Handler handler) : m_handler(std::move(handler)) {}

    quint16 waitForPort()
    {
        m_started.acquire();
        return m_port;
    }

    QList<TestHttpRequest> requests() const
    {
        QMutexLocker lock(&m_mutex);
        return m_requests;
    }

    void clear()
    {
        QMutexLocker lock(&m_mutex);
        m_requests.clear();
    }

protected:
    void run() override
    {
        QTcpServer server;
        server.listen(QHostAddress::LocalHost, 0);
        m_port = server.serverPort();
        m_started.release();
        QObject::connect(&server, &QTcpServer::newConnection, &server, [&] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                    buffer->append(socket->readAll());
                    // A TLS ClientHello (a loopback client probing https first)
                    // gets what a plain Go server answers: 400 and close.
                    if (buffer->startsWith('\x16')) {
                        socket->write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
                        socket->disconnectFromHost();
                        return;
                    }
                    const std::optional<TestHttpRequest> req = parseRequest(*buffer);
                    if (!req)
                        return;
                    buffer->clear();
                    {
                        QMutexLocker lock(&m_mutex);
                        m_requests.append(*req);
                    }
                    respond(socket, *req, m_handler(*req));
                });
            }
        });
        exec();
    }

private:
    static QByteArray chunk(const QByteArray &data)
    {
        return data.isEmpty() ? QByteArray() : QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
    }

    static void respond(QTcpSocket *socket, const TestHttpRequest &req, const TestHttpResponse &r)
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasonPhrase(r.status) + "\r\n";
        for (const auto &[name, value] : r.headers)
            out += name + ": " + value + "\r\n";
        if (r.chunked)
            out += "Transfer-Encoding: chunked\r\n";
        else if (findHeader(r.headers, "Content-Length") < 0)
            out += "Content-Length: " + QByteArray::number(r.declaredLength >= 0 ? r.declaredLength : r.body.size())
                + "\r\n";
        out += "Connection: close\r\n\r\n";
        if (req.method == "HEAD") {
            socket->write(out);
            socket->disconnectFromHost();
            return;
        }
        if (!r.chunked) {
            out += r.cutAfter >= 0 ? r.body.left(r.cutAfter) : r.body;
            socket->write(out);
            socket->disconnectFromHost();
            return;
        }
        socket->write(out + chunk(r.body));
        streamEndlessly(socket, r);
    }

    // Keeps about a megabyte queued until endlessBytes are out, then ends
    // the body; stops when the client hangs up.
    static void streamEndlessly(QTcpSocket *socket, const TestHttpResponse &r)
    {
        const qsizetype copies = r.repeat.isEmpty() ? 0 : qMax<qsizetype>(1, (256 << 10) / r.repeat.size());
        const QByteArray payload = r.repeat.repeated(copies);
        const QByteArray block = chunk(payload);
        auto left = std::make_shared<qint64>(payload.isEmpty() ? 0 : r.endlessBytes);
        auto pump = [socket, left, block, size = payload.size()] {
            if (socket->state() != QAbstractSocket::ConnectedState || *left < 0)
                return;
            while (*left > 0 && socket->bytesToWrite() < (1 << 20)) {
                socket->write(block);
                *left -= size;
            }
            if (*left <= 0) {
                *left = -1; // ended
                socket->write("0\r\n\r\n");
                socket->disconnectFromHost();
            }
        };
        QObject::connect(socket, &QTcpSocket::bytesWritten, socket, pump);
        pump();
    }

    Handler m_handler;
    QSemaphore m_started;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    QList<TestHttpRequest> m_requests;
};

TestHttpServer::TestHttpServer(Handler handler) : m_thread(std::make_unique<Thread>(std::move(handler)))
{
    m_thread->start();
    m_port = m_thread->waitForPort();
}

TestHttpServer::~TestHttpServer()
{
    m_thread->quit();
    m_thread->wait();
}

QList<TestHttpRequest> TestHttpServer::requests() const
{
    return m_thread->requests();
}

void TestHttpServer::clearRequests()
{
    m_thread->clear();
}


} // namespace porthole::test
