// Content digests ("sha256:<64 hex>") and streaming SHA-256.
// A Digest is only ever constructed from a strictly validated string or from a
// hash we computed, so its hex() is safe to use as a file name.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>

namespace porthole {

class Digest {
public:
    Digest() = default;

    // Accepts exactly "sha256:" followed by 64 lower-case hex digits.
    static Result<Digest> parse(QStringView text);
    // 32 raw bytes of a SHA-256 sum.
    static Digest fromSha256Bytes(const QByteArray &raw);

    bool isValid() const { return !m_hex.isEmpty(); }
    QString algorithm() const { return QStringLiteral("sha256"); }
    const QString &hex() const { return m_hex; }
    QString toString() const { return m_hex.isEmpty() ? QString() : QStringLiteral("sha256:") + m_hex; }
    // The 12-character short ID docker shows.
    QString shortHex() const { return m_hex.left(12); }

    friend bool operator==(const Digest &a, const Digest &b) { return a.m_hex == b.m_hex; }
    friend bool operator!=(const Digest &a, const Digest &b) { return !(a == b); }
    friend bool operator<(const Digest &a, const Digest &b) { return a.m_hex < b.m_hex; }

private:
    explicit Digest(QString hex) : m_hex(std::move(hex)) {}
    QString m_hex;
};

inline size_t qHash(const Digest &d, size_t seed = 0) { return qHash(d.hex(), seed); }

// Streaming SHA-256 over OpenSSL EVP. Not copyable; one thread at a time.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void update(const void *data, size_t size);
    void update(QByteArrayView bytes) { update(bytes.data(), size_t(bytes.size())); }
    // Returns the digest of everything fed so far; the hasher is then reset.
    Digest finish();
    quint64 bytesHashed() const { return m_bytes; }

    static Digest of(QByteArrayView bytes);

private:
    struct Ctx;
    std::unique_ptr<Ctx> m_ctx;
    quint64 m_bytes = 0;
};

} // namespace porthole
