// inspect and history: an image as docker describes it.
#include "service/engine.h"

#include "core/reference.h"
#include "store/imagestore.h"
#include "store/store.h"

#include <QJsonArray>

namespace porthole::service {

namespace {

// The keys docker always prints in an image's Config, with their zero values;
// the image's own config is laid over them.
QJsonObject dockerConfigShape(const QJsonObject &config)
{
    QJsonObject shape{
        {QStringLiteral("Hostname"), QString()},     {QStringLiteral("Domainname"), QString()},
        {QStringLiteral("User"), QString()},         {QStringLiteral("AttachStdin"), false},
        {QStringLiteral("AttachStdout"), false},     {QStringLiteral("AttachStderr"), false},
        {QStringLiteral("Tty"), false},              {QStringLiteral("OpenStdin"), false},
        {QStringLiteral("StdinOnce"), false},        {QStringLiteral("Env"), QJsonValue::Null},
        {QStringLiteral("Cmd"), QJsonValue::Null},   {QStringLiteral("Image"), QString()},
        {QStringLiteral("Volumes"), QJsonValue::Null}, {QStringLiteral("WorkingDir"), QString()},
        {QStringLiteral("Entrypoint"), QJsonValue::Null}, {QStringLiteral("OnBuild"), QJsonValue::Null},
        {QStringLiteral("Labels"), QJsonValue::Null},
    };
    for (auto it = config.begin(); it != config.end(); ++it)
        shape.insert(it.key(), it.value());
    return shape;
}

QJsonArray stringArray(const QStringList &list)
{
    QJsonArray a;
    for (const QString &s : list)
        a.append(s);
    return a;
}

} // namespace

Result<QJsonObject> Engine::inspectImage(const QString &nameOrId)
{
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    PH_TRY(const store::ResolvedImage found, images.resolve(nameOrId));
    const store::StoredImage &image = found.image;
    const ImageConfig &config = image.config;
    const QJsonObject raw = config.toJsonObject();

    QStringList repoTags;
    for (const QString &name : image.refNames)
        repoTags.append(Reference::parse(name).valueOr(Reference()).familiarString());
    QStringList diffIds;
    for (const Digest &d : config.diffIds())
        diffIds.append(d.toString());
    QStringList layerDirs;
    const QList<Digest> diffs = config.diffIds();
    for (qsizetype i = diffs.size(); i > 0; --i)
        layerDirs.append(m_store->layerDir(store::chainId(diffs.mid(0, i))));

    QJsonObject o;
    o.insert(QStringLiteral("Id"), image.configDigest.toString());
    o.insert(QStringLiteral("RepoTags"), stringArray(repoTags));
    QStringList repoDigests;
    for (const QString &rd : image.repoDigests)
        repoDigests.append(Reference::parse(rd).valueOr(Reference()).familiarString());
    o.insert(QStringLiteral("RepoDigests"), stringArray(repoDigests));
    o.insert(QStringLiteral("Parent"), QString());
    o.insert(QStringLiteral("Comment"), raw.value(QStringLiteral("comment")).toString());
    o.insert(QStringLiteral("Created"), config.created());
    o.insert(QStringLiteral("DockerVersion"), raw.value(QStringLiteral("docker_version")).toString());
    o.insert(QStringLiteral("Author"), config.author());
    o.insert(QStringLiteral("Config"), dockerConfigShape(config.containerConfig()));
    o.insert(QStringLiteral("Architecture"), config.architecture());
    if (!config.variant().isEmpty())
        o.insert(QStringLiteral("Variant"), config.variant());
    o.insert(QStringLiteral("Os"), config.os());
    o.insert(QStringLiteral("Size"), double(images.size(image)));
    o.insert(QStringLiteral("GraphDriver"),
             QJsonObject{{QStringLiteral("Name"), QStringLiteral("overlay")},
                         {QStringLiteral("Data"), QJsonObject{{QStringLiteral("LowerDir"), layerDirs.join(u':')}}}});
    o.insert(QStringLiteral("RootFS"),
             QJsonObject{{QStringLiteral("Type"), config.rootfsType()}, {QStringLiteral("Layers"), stringArray(diffIds)}});
    o.insert(QStringLiteral("Metadata"), QJsonObject{{QStringLiteral("LastTagTime"), QStringLiteral("0001-01-01T00:00:00Z")}});
    // What docker's containerd image store shows: the manifest this image is.
    o.insert(QStringLiteral("Descriptor"), image.descriptor.toJson());
    return o;
}

Result<QList<HistoryRow>> Engine::history(const QString &nameOrId)
{
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    PH_TRY(const store::ResolvedImage found, images.resolve(nameOrId));
    const store::StoredImage &image = found.image;
    const QList<qint64> sizes = images.layerSizes(image);
    QList<HistoryRow> rows;
    qsizetype layer = 0;
    for (const HistoryEntry &h : image.config.history()) {
        HistoryRow row;
        row.imageId = QStringLiteral("<missing>");
        row.created = parseRfc3339(h.created).value_or(QDateTime());
        row.createdBy = h.createdBy;
        row.author = h.author;
        row.comment = h.comment;
        row.emptyLayer = h.emptyLayer;
        if (!h.emptyLayer)
            row.size = sizes.value(layer++);
        rows.prepend(row);
    }
    if (rows.isEmpty()) {
        // An image without history still has layers: one row each, as docker.
        for (qint64 size : sizes) {
            HistoryRow row;
            row.imageId = QStringLiteral("<missing>");
            row.size = size;
            rows.prepend(row);
        }
    }
    if (!rows.isEmpty())
        rows.first().imageId = image.configDigest.toString();
    return rows;
}

} // namespace porthole::service
