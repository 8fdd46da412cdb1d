// container prune, image prune, volume prune, and the three in system
// prune's order: what nothing uses goes, and the bytes it held are counted
// as docker's "Total reclaimed space".
#include "service/engine.h"
#include "service/layerbytes.h"

#include "store/containerstore.h"
#include "store/imagestore.h"
#include "store/store.h"
#include "store/treesize.h"

#include <QMap>
#include <QSet>

namespace porthole::service {

namespace {

// The images containers use (in any state): prune leaves them, as rmi would refuse.
Result<QSet<Digest>> imagesInUse(store::Store &s)
{
    PH_TRY(const QList<store::ContainerRecord> records, store::ContainerStore(s).list());
    QSet<Digest> used;
    for (const store::ContainerRecord &r : records)
        used.insert(r.config.image);
    return used;
}

// Layer bytes by diff ID of every image in the store now.
Result<QHash<QString, qint64>> storedLayerBytes(store::Store &s)
{
    store::ImageStore images(s);
    PH_TRY(const QList<store::StoredImage> all, images.list());
    return layerBytesByDiffId(images, all);
}

} // namespace

Result<PruneReport> Engine::pruneContainers()
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const QList<store::ContainerRecord> records, containers.list());
    PruneReport report;
    for (const store::ContainerRecord &r : records) {
        if (containers.effectiveState(r).isLive())
            continue;
        const qint64 bytes = store::treeBytes(containers.upperDir(r.config.id));
        PH_CHECK(containers.remove(r.config.id));
        report.containers.append(r.config.id);
        report.reclaimedBytes += bytes;
    }
    return report;
}

Result<PruneReport> Engine::pruneImages(bool all)
{
    PH_TRY(const QSet<Digest> used, imagesInUse(*m_store));
    PH_TRY(const QList<ImageRow> rows, listImages());
    QMap<Digest, bool> tagged; // by ID; ordered, so the output is stable
    for (const ImageRow &r : rows)
        tagged[r.id] = tagged.value(r.id) || !r.refName.isEmpty();
    PH_TRY(const auto before, storedLayerBytes(*m_store));

    PruneReport report;
    for (auto it = tagged.cbegin(); it != tagged.cend(); ++it) {
        if (used.contains(it.key()) || (it.value() && !all))
            continue;
        // By ID with force: every name goes (no container uses it, so
        // force only lifts the several-names conflict).
        auto events = removeImage(it.key().toString(), true);
        if (!events) {
            if (events.error().code == ErrorCode::NotFound)
                continue; // another process removed it meanwhile
            return events.error();
        }
        report.images += *events;
    }
    PH_TRY(const auto after, storedLayerBytes(*m_store));
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!after.contains(it.key()))
            report.reclaimedBytes += it.value();
    }
    return report;
}

Result<PruneReport> Engine::pruneVolumes()
{
    PH_TRY(const QList<VolumeRow> volumes, listVolumes());
    PruneReport report;
    for (const VolumeRow &v : volumes) {
        if (!v.containers.isEmpty())
            continue;
        // removeVolume checks again under the containers lock: a volume a
        // `run` took meanwhile is kept.
        if (auto st = removeVolume(v.name, false); !st) {
            if (st.error().code == ErrorCode::FailedPrecondition || st.error().code == ErrorCode::NotFound)
                continue;
            return st.error();
        }
        report.volumes.append(v.name);
        report.reclaimedBytes += v.size;
    }
    return report;
}

Result<PruneReport> Engine::prune(const PruneRequest &request)
{
    PruneReport total;
    if (request.containers) {
        PH_TRY(const PruneReport r, pruneContainers());
        total.containers = r.containers;
        total.reclaimedBytes += r.reclaimedBytes;
    }
    if (request.volumes) {
        PH_TRY(const PruneReport r, pruneVolumes());
        total.volumes = r.volumes;
        total.reclaimedBytes += r.reclaimedBytes;
    }
    if (request.images || request.allImages) {
        PH_TRY(const PruneReport r, pruneImages(request.allImages));
        total.images = r.images;
        total.reclaimedBytes += r.reclaimedBytes;
    }
    return total;
}

} // namespace porthole::service
