#include "core/digest.h"

#include <openssl/evp.h>

namespace porthole {

Result<Digest> Digest::parse(QStringView text)
{
    static const QLatin1StringView prefix("sha256:");
    auto invalid = [&](const QString &why) {
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("invalid digest \"%1\": %2").arg(text.left(100).toString(), why));
    };
    if (!text.startsWith(prefix)) {
        const int colon = text.indexOf(u':');
        if (colon > 0)
            return invalid(QStringLiteral("unsupported algorithm \"%1\" (only sha256 is supported)")
                               .arg(text.left(colon).toString()));
        return invalid(QStringLiteral("expected sha256:<64 hex digits>"));
    }
    const QStringView hex = text.mid(prefix.size());
    if (hex.size() != 64)
        return invalid(QStringLiteral("expected 64 hex digits, got %1").arg(hex.size()));
    for (QChar c : hex) {
        const bool ok = (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
        if (!ok)
            return invalid(QStringLiteral("'%1' is not a lower-case hex digit").arg(c));
    }
    return Digest(hex.toString());
}

Digest Digest::fromSha256Bytes(const QByteArray &raw)
{
    return Digest(QString::fromLatin1(raw.toHex()));
}

struct Sha256::Ctx {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : m_ctx(std::make_unique<Ctx>())
{
    EVP_DigestInit_ex(m_ctx->ctx, EVP_sha256(), nullptr);
}

Sha256::~Sha256() = default;

void Sha256::update(const void *data, size_t size)
{
    EVP_DigestUpdate(m_ctx->ctx, data, size);
    m_bytes += size;
}

Digest Sha256::finish()
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_ctx->ctx, out, &len);
    EVP_DigestInit_ex(m_ctx->ctx, EVP_sha256(), nullptr);
    m_bytes = 0;
    return Digest::fromSha256Bytes(QByteArray(reinterpret_cast<const char *>(out), int(len)));
}

Digest Sha256::of(QByteArrayView bytes)
{
    Sha256 h;
    h.update(bytes);
    return h.finish();
}

} // namespace porthole
