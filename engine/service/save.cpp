// save for the Engine: which images the names mean (docker's rules), then
// the archive (archive/saver.h) into a file, replaced only when the archive
// is complete, or into a descriptor (standard output, a pipe).
#include "service/engine.h"

#include "archive/saver.h"
#include "core/reference.h"
#include "store/fdsink.h"
#include "store/fsutil.h"
#include "store/outputfile.h"
#include "store/imagestore.h"
#include "store/store.h"

#include <QFile>

#include <unistd.h>

namespace porthole::service {

namespace {

// docker's parseNames: a name without tag or digest means every tag of that
// repository (with none, it may still be an ID prefix); name:tag that tag;
// name@digest and IDs the image without a tag. One item per image, in the
// order first named, with every tag named for it.
Result<QList<archive::SaveItem>> itemsFor(store::Store &store, const QStringList &names)
{
    store::ImageStore images(store);
    PH_TRY(const store::TagIndex index, store.readIndex());
    QList<archive::SaveItem> items;
    const auto add = [&](const store::StoredImage &image, const QString &refName) {
        for (archive::SaveItem &item : items) {
            if (item.image.descriptor.digest == image.descriptor.digest) {
                if (!refName.isEmpty() && !item.refNames.contains(refName))
                    item.refNames.append(refName);
                return;
            }
        }
        items.append({image, refName.isEmpty() ? QStringList() : QStringList{refName}});
    };
    for (const QString &name : names) {
        const auto ref = Reference::parse(name);
        bool tagged = false;
        if (ref && !ref->hasTag() && !ref->hasDigest()) {
            for (const store::IndexEntry &entry : index.entries()) {
                const auto have = Reference::parse(entry.refName());
                if (!have || have->name() != ref->name())
                    continue;
                PH_TRY(const Descriptor descriptor, Descriptor::fromJson(entry.descriptor, QStringLiteral("index.json")));
                PH_TRY(const store::StoredImage image, images.load(descriptor, index.tagsFor(entry.digest())));
                add(image, entry.refName());
                tagged = true;
            }
        }
        if (tagged)
            continue;
        auto found = images.resolve(name);
        if (!found && found.error().code == ErrorCode::NotFound)
            return Error(ErrorCode::NotFound, QStringLiteral("No such image: %1").arg(name));
        if (!found)
            return found.error();
        add(found->image, found->matchedRefName);
    }
    return items;
}

} // namespace

Result<SaveOutcome> Engine::saveImages(const SaveRequest &request, const CancelToken &cancel, const ProgressSink &progress)
{
    if (request.images.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("save: no image was named"));
    PH_TRY(const archive::SaveFormat format, archive::saveFormatFromName(request.format));
    const bool toFile = !request.outputPath.isEmpty() && request.outputPath != QLatin1String("-");
    if (!toFile && request.outputFd < 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("save: no output file or descriptor was given"));
    // Held to the end: garbage collection must not take a blob being saved.
    PH_TRY(store::FileLock lock, m_store->useLock());
    PH_TRY(const QList<archive::SaveItem> items, itemsFor(*m_store, request.images));
    if (!toFile) {
        store::FdSink sink(request.outputFd, QStringLiteral("standard output"));
        PH_TRY(const archive::SaveStats stats,
               archive::writeImageArchive(*m_store, items, format, sink, cancel, progress, QStringLiteral("-")));
        PH_CHECK(sink.finish());
        return SaveOutcome{stats.bytes, stats.images};
    }
    store::OutputFile out;
    PH_CHECK(out.open(request.outputPath, QStringLiteral("save to %1").arg(request.outputPath)));
    store::FdSink sink(out.fd(), request.outputPath, {.writeBehind = true});
    PH_TRY(const archive::SaveStats stats,
           archive::writeImageArchive(*m_store, items, format, sink, cancel, progress, request.outputPath));
    PH_CHECK(sink.finish());
    PH_CHECK(out.commit());
    return SaveOutcome{stats.bytes, stats.images};
}

} // namespace porthole::service
