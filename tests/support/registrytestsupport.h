// Shared by the RegistryClient tests (tst_registryclientlive against real
// docker-registry processes, tst_registryclientscripted against scripted
// servers): reading a client's results, test data, fast client options, and
// a credential store per test.
#pragma once

#include "core/bytestream.h"
#include "core/result.h"
#include "registry/credentials.h"
#include "registry/registryclient.h"

#include <QByteArray>
#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace porthole::test {

// QVERIFY2 evaluates its message even when the check passes.
template <typename T>
const char *why(const Result<T> &result)
{
    static QByteArray text;
    text = result ? QByteArray() : result.error().message.toLocal8Bit();
    return text.constData();
}

inline Reference repoRef(const QString &text)
{
    return Reference::parse(text).value();
}

inline QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator random(seed);
    for (qint64 i = 0; i < size; ++i)
        data[i] = char(random.generate() & 0xff);
    return data;
}

// Reads a source to its end in odd-sized pieces; the error, if any, is kept.
inline QByteArray readAll(ByteSource &source, Error *error = nullptr, qint64 piece = 40000)
{
    QByteArray all;
    QByteArray buf(piece, Qt::Uninitialized);
    for (;;) {
        const Result<qint64> n = source.read(buf.data(), buf.size());
        if (!n) {
            if (error)
                *error = n.error();
            return all;
        }
        if (*n == 0)
            return all;
        all.append(buf.constData(), *n);
    }
}

inline registry::RegistryOptions fastOptions()
{
    registry::RegistryOptions options;
    options.certsDirs = {};
    options.retryDelaysMs = {1, 1, 1};
    options.transferTimeoutMs = 10000;
    return options;
}

// A test class derives from it (after QObject) for a temporary directory
// and credential stores made in it.
class RegistryClientTestBase {
protected:
    // A credential store holding one credential (or none) for host.
    std::unique_ptr<registry::CredentialStore> credentialsFor(const QString &host,
                                                              std::optional<registry::Credential> credential)
    {
        const QString dir = m_tmp.filePath(QStringLiteral("auth-%1").arg(QRandomGenerator::global()->generate()));
        QDir().mkpath(dir);
        auto store = std::make_unique<registry::CredentialStore>(
            registry::CredentialStore::fromFiles(dir + QStringLiteral("/config.json"), {}));
        if (credential)
            [&] { QVERIFY(store->store(host, *credential)); }();
        return store;
    }

    QTemporaryDir m_tmp;
};

} // namespace porthole::test
