#include "service/engine.h"

#include "container/committer.h"
#include "archive/demoimage.h"
#include "archive/importer.h"
#include "core/reference.h"
#include "layer/imagelayers.h"
#include "layer/unpacker.h"
#include "store/containerstore.h"
#include "store/imagestore.h"
#include "store/store.h"

#include <QFile>

#include <unistd.h>

namespace porthole::service {

QString engineVersion() { return QStringLiteral(PORTHOLE_VERSION); }

Engine::Engine(std::shared_ptr<store::Store> store) : m_store(std::move(store)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const EngineOptions &options)
{
    const QString root = options.root.isEmpty() ? store::Store::defaultRoot() : options.root;
    PH_TRY(auto store, store::Store::open(root));
    layer::removeIncompleteLayers(store->root());
    store::ContainerStore(*store).removeStale();
    container::thawAfterDeadCommits(*store);
    std::unique_ptr<Engine> engine(new Engine(store));
    if (store->wasCreated() && options.seedDemoImage) {
        // A store without its demo image is still a store: report, go on.
        if (auto demo = engine->createDemoImage(); !demo)
            qWarning("porthole: %s", qPrintable(demo.error().message));
    }
    return engine;
}

QString Engine::root() const { return m_store->root(); }

static ImageRow rowFor(const store::ImageStore &images, const store::StoredImage &image, const QString &refName)
{
    ImageRow row;
    row.id = image.configDigest;
    row.manifestDigest = image.descriptor.digest;
    row.refName = refName;
    row.repository = QStringLiteral("<none>");
    row.tag = QStringLiteral("<none>");
    if (auto ref = Reference::parse(refName)) {
        row.repository = ref->familiarName();
        if (ref->hasTag())
            row.tag = ref->tag();
    }
    for (const QString &rd : image.repoDigests)
        row.repoDigests.append(Reference::parse(rd).valueOr(Reference()).familiarString());
    // Pulled by digest, without a tag: docker shows the repository, tag <none>.
    if (refName.isEmpty() && !image.repoDigests.isEmpty())
        row.repository = Reference::parse(image.repoDigests.first()).valueOr(Reference()).familiarName();
    row.created = image.config.createdTime().value_or(QDateTime());
    row.size = images.size(image);
    return row;
}

Result<QList<ImageRow>> Engine::listImages()
{
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    PH_TRY(const QList<store::StoredImage> all, images.list());
    QList<ImageRow> rows;
    for (const store::StoredImage &image : all) {
        if (image.refNames.isEmpty())
            rows.append(rowFor(images, image, QString()));
        for (const QString &name : image.refNames)
            rows.append(rowFor(images, image, name));
    }
    return rows;
}

Result<ImageRow> Engine::resolveImage(const QString &nameOrId)
{
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    PH_TRY(const store::ResolvedImage found, images.resolve(nameOrId));
    return rowFor(images, found.image, found.matchedRefName);
}

Status Engine::tagImage(const QString &source, const QString &target)
{
    PH_TRY(const Reference targetRef, Reference::parse(target));
    if (targetRef.hasDigest())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("refusing to create a tag with a digest reference: %1").arg(target));
    const QString refName = targetRef.withDefaultTag().toString();
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    PH_TRY(const store::ResolvedImage found, images.resolve(source));
    return m_store->editIndex([&](store::TagIndex &index) {
        QJsonObject descriptor = found.image.descriptor.toJson();
        index.setTag(refName, descriptor);
        return Status();
    });
}

// docker's rule: a name removes that name; the image goes with its last name.
// By ID, an image with several names needs -f (they all go).
Result<QList<RemoveEvent>> Engine::removeImage(const QString &nameOrId, bool force)
{
    QList<RemoveEvent> events;
    {
        PH_TRY(store::FileLock lock, m_store->useLock());
        store::ImageStore images(*m_store);
        PH_TRY(const store::ResolvedImage found, images.resolve(nameOrId));
        const store::StoredImage &image = found.image;
        const Digest manifest = image.descriptor.digest;
        QStringList untag;
        if (!found.matchedRefName.isEmpty()) {
            untag = {found.matchedRefName};
        } else {
            QSet<QString> repos;
            for (const QString &name : image.refNames)
                repos.insert(Reference::parse(name).valueOr(Reference()).name());
            if (!force && (repos.size() > 1 || image.refNames.size() > 1))
                return Error(ErrorCode::FailedPrecondition,
                             QStringLiteral("conflict: unable to delete %1 (must be forced) - image is referenced in multiple repositories")
                                 .arg(image.shortId()));
            untag = image.refNames;
        }
        // A container made from the image keeps it: docker refuses without
        // -f, and with -f only takes the names away.
        store::ContainerStore containers(*m_store);
        PH_TRY(const QList<store::ContainerRecord> records, containers.list());
        std::optional<store::ContainerRecord> user;
        for (const store::ContainerRecord &r : records) {
            if (r.config.image == image.configDigest)
                user = r;
        }
        const bool lastName = untag.size() >= image.refNames.size();
        if (user && lastName && !force) {
            const QString status = containers.effectiveState(*user).status;
            if (!found.matchedRefName.isEmpty())
                return Error(ErrorCode::FailedPrecondition,
                             QStringLiteral("conflict: unable to remove repository reference \"%1\" (must force) - container %2 is using its referenced image %3")
                                 .arg(nameOrId, user->config.id.left(12), image.shortId()));
            return Error(ErrorCode::FailedPrecondition,
                         QStringLiteral("conflict: unable to delete %1 (must be forced) - image is being used by %2 container %3")
                             .arg(image.shortId(), status == QLatin1String("running") ? QStringLiteral("running") : QStringLiteral("stopped"),
                                  user->config.id.left(12)));
        }
        bool deleted = false;
        PH_CHECK(m_store->editIndex([&](store::TagIndex &index) {
            for (const QString &name : untag)
                index.removeTag(name, user.has_value());
            // Another process may have tagged it meanwhile: then it stays.
            deleted = !user && (!index.contains(manifest) || (found.matchedRefName.isEmpty() && index.tagsFor(manifest).isEmpty()));
            if (deleted)
                index.removeImage(manifest);
            return Status();
        }));
        for (const QString &name : untag)
            events.append({RemoveEvent::Untagged, Reference::parse(name).valueOr(Reference()).familiarString()});
        if (deleted)
            events.append({RemoveEvent::Deleted, image.configDigest.toString()});
    }
    // Blobs go at once if nobody else is working on the store; otherwise a
    // later removal collects them.
    (void)m_store->collectGarbage(false);
    return events;
}

Result<ImportResult> Engine::importImage(const ImportRequest &request, const CancelToken &cancel,
                                         const ProgressSink &progress)
{
    archive::ImportOptions options;
    if (!request.reference.isEmpty()) {
        PH_TRY(const Reference ref, Reference::parse(request.reference));
        if (ref.hasDigest())
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("import: the reference %1 has a digest; give REPOSITORY[:TAG]").arg(request.reference));
        options.refName = ref.withDefaultTag().toString();
    }
    if (!request.platform.isEmpty()) {
        const QStringList parts = request.platform.split(u'/');
        if (parts.size() < 2 || parts.size() > 3 || parts.contains(QString()))
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("import: invalid platform \"%1\" (expected os/arch[/variant])").arg(request.platform));
        options.os = parts[0];
        options.architecture = parts[1];
        options.variant = parts.value(2);
    }
    options.changes = request.changes;
    options.comment = request.message.isEmpty() ? QStringLiteral("Imported from %1").arg(request.sourcePath) : request.message;
    options.progressId = request.sourcePath;

    std::unique_ptr<ByteSource> owned;
    FdSource stdinSource(STDIN_FILENO, QStringLiteral("standard input"));
    ByteSource *input = &stdinSource;
    if (request.sourcePath != QLatin1String("-")) {
        auto file = FileSource::open(request.sourcePath);
        if (!file)
            return file.error().context(QStringLiteral("import"));
        owned = std::move(*file);
        input = owned.get();
    }
    // Unpacked before it is named, so the image runs at once, and a tar that
    // cannot be unpacked safely fails the import without touching any name.
    options.beforeTag = [&](const Digest &diffId, const Descriptor &layer) {
        return layer::unpackLayers(*m_store, {diffId}, {layer}, cancel, progress);
    };
    auto imported = archive::importRootfs(*m_store, *input, options, cancel, progress);
    if (!imported)
        return imported.error().context(QStringLiteral("import %1").arg(request.sourcePath));
    return ImportResult{imported->configDigest, imported->manifestDigest, options.refName};
}

Result<ImportResult> Engine::createDemoImage()
{
    PH_TRY(const archive::ImportedImage imported,
           archive::createDemoImage(*m_store, [this](const Digest &diffId, const Descriptor &layer) {
               return layer::unpackLayers(*m_store, {diffId}, {layer});
           }));
    return ImportResult{imported.configDigest, imported.manifestDigest, QStringLiteral("localhost/demo:latest")};
}

} // namespace porthole::service
