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

// --- OCI layouts --------------------------------------------------------------------------

// A one-file ustar archive, enough for any tar reader.
static QByteArray tarWithFile(const QByteArray &name, const QByteArray &data)
{
    QByteArray header(512, '\0');
    const auto put = [&](int offset, const QByteArray &value) {
        std::memcpy(header.data() + offset, value.constData(), size_t(value.size()));
    };
    const auto octal = [&](int offset, int width, qint64 value) {
        put(offset, QByteArray::number(value, 8).rightJustified(width - 1, '0'));
    };
    put(0, name.left(99));
    octal(100, 8, 0644);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, data.size());
    octal(136, 12, 0);
    std::memset(header.data() + 148, ' ', 8);
    header[156] = '0';
    put(257, "ustar");
    put(263, "00");
    unsigned sum = 0;
    for (char c : header)
        sum += static_cast<unsigned char>(c);
    put(148, QByteArray::number(sum, 8).rightJustified(6, '0') + '\0');
    QByteArray tar = header + data;
    tar += QByteArray((512 - data.size() % 512) % 512, '\0');
    tar += QByteArray(1024, '\0');
    return tar;
}

static QJsonObject descriptor(const QString &mediaType, const Digest &digest, qint64 size)
{
    return QJsonObject{{QStringLiteral("mediaType"), mediaType},
                       {QStringLiteral("digest"), digest.toString()},
                       {QStringLiteral("size"), size}};
}

OciLayoutWriter::OciLayoutWriter(QString dir) : m_dir(std::move(dir))
{
    QDir().mkpath(m_dir + QStringLiteral("/blobs/sha256"));
    writeFile(m_dir + QStringLiteral("/oci-layout"), R"({"imageLayoutVersion":"1.0.0"})");
    (void)writeIndexJson(); // a failure shows when the layout is used
}

Result<Digest> OciLayoutWriter::writeBlob(const QByteArray &bytes)
{
    const Digest digest = Sha256::of(bytes);
    if (!writeFile(m_dir + QStringLiteral("/blobs/sha256/") + digest.hex(), bytes))
        return Error(ErrorCode::Io, QStringLiteral("write blob %1").arg(digest.toString()));
    return digest;
}

Status OciLayoutWriter::writeIndexJson()
{
    QJsonArray entries;
    for (const QJsonObject &e : m_entries)
        entries.append(e);
    const QJsonObject doc{{QStringLiteral("schemaVersion"), 2}, {QStringLiteral("manifests"), entries}};
    if (!writeFile(m_dir + QStringLiteral("/index.json"), QJsonDocument(doc).toJson(QJsonDocument::Compact)))
        return Error(ErrorCode::Io, QStringLiteral("write %1/index.json").arg(m_dir));
    return {};
}

Result<TestImage> OciLayoutWriter::addImage(const QString &ref, const QList<qint64> &fileSizes,
                                            const QString &architecture, quint32 seed)
{
    TestImage image;
    image.ref = ref;
    QJsonArray layers;
    QJsonArray diffIds;
    for (int i = 0; i < fileSizes.size(); ++i) {
        QByteArray payload(fileSizes[i], Qt::Uninitialized);
        QRandomGenerator random(seed + quint32(i));
        random.fillRange(reinterpret_cast<quint32 *>(payload.data()), payload.size() / 4);
        const QByteArray tar = tarWithFile("file" + QByteArray::number(i), payload);
        diffIds.append(Sha256::of(tar).toString());
        const RunResult gz = runProgram(QStringLiteral("gzip"), {QStringLiteral("-n"), QStringLiteral("-c")}, tar);
        if (gz.exitCode != 0)
            return Error(ErrorCode::Internal, QStringLiteral("gzip failed: %1").arg(QString::fromUtf8(gz.err)));
        PH_TRY(const Digest layer, writeBlob(gz.out));
        image.layerDigests.append(layer);
        image.layerSizes.append(gz.out.size());
        layers.append(descriptor(QStringLiteral("application/vnd.oci.image.layer.v1.tar+gzip"), layer, gz.out.size()));
    }
    const QJsonObject config{
        {QStringLiteral("architecture"), architecture},
        {QStringLiteral("os"), QStringLiteral("linux")},
        {QStringLiteral("config"), QJsonObject{{QStringLiteral("Cmd"), QJsonArray{QStringLiteral("/bin/true")}}}},
        {QStringLiteral("rootfs"), QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")},
                                               {QStringLiteral("diff_ids"), diffIds}}}};
    const QByteArray configBytes = QJsonDocument(config).toJson(QJsonDocument::Compact);
    PH_TRY(image.configDigest, writeBlob(configBytes));
    const QJsonObject manifest{
        {QStringLiteral("schemaVersion"), 2},
        {QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.manifest.v1+json")},
        {QStringLiteral("config"), descriptor(QStringLiteral("application/vnd.oci.image.config.v1+json"),
                                              image.configDigest, configBytes.size())},
        {QStringLiteral("layers"), layers}};
    image.manifest = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    PH_TRY(image.manifestDigest, writeBlob(image.manifest));
    if (!ref.isEmpty()) {
        QJsonObject entry = descriptor(QStringLiteral("application/vnd.oci.image.manifest.v1+json"),
                                       image.manifestDigest, image.manifest.size());
        entry[QStringLiteral("annotations")] = QJsonObject{{QStringLiteral("org.opencontainers.image.ref.name"), ref}};
        m_entries.append(entry);
        PH_CHECK(writeIndexJson());
    }
    return image;
}

Result<TestImage> OciLayoutWriter::addIndex(const QString &ref, const QList<TestImage> &images,
                                            const QStringList &architectures)
{
    QJsonArray manifests;
    for (int i = 0; i < images.size(); ++i) {
        QJsonObject d = descriptor(QStringLiteral("application/vnd.oci.image.manifest.v1+json"),
                                   images[i].manifestDigest, images[i].manifest.size());
        d[QStringLiteral("platform")] = QJsonObject{{QStringLiteral("architecture"), architectures.value(i)},
                                                    {QStringLiteral("os"), QStringLiteral("linux")}};
        manifests.append(d);
    }
    const QJsonObject index{{QStringLiteral("schemaVersion"), 2},
                            {QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.index.v1+json")},
                            {QStringLiteral("manifests"), manifests}};
    TestImage result;
    result.ref = ref;
    result.manifest = QJsonDocument(index).toJson(QJsonDocument::Compact);
    PH_TRY(result.manifestDigest, writeBlob(result.manifest));
    QJsonObject entry = descriptor(QStringLiteral("application/vnd.oci.image.index.v1+json"), result.manifestDigest,
                                   result.manifest.size());
    entry[QStringLiteral("annotations")] = QJsonObject{{QStringLiteral("org.opencontainers.image.ref.name"), ref}};
    m_entries.append(entry);
    PH_CHECK(writeIndexJson());
    return result;
}


} // namespace porthole::test
