// info and system df: what the machine and the store hold.
#include "service/engine.h"
#include "service/layerbytes.h"

#include "store/containerstore.h"
#include "store/imagestore.h"
#include "store/store.h"
#include "store/treesize.h"

#include <QFile>
#include <QSysInfo>
#include <QThread>

#include <sys/sysinfo.h>

namespace porthole::service {

namespace {

QString cgroupVersion()
{
    // cgroup2 mounted at /sys/fs/cgroup is v2; anything else (v1, or hybrid
    // with a v2 "unified" mount beside the v1 controllers) is "1", the only
    // other value docker prints and scripts compare against.
    if (QFile::exists(QStringLiteral("/sys/fs/cgroup/cgroup.controllers")))
        return QStringLiteral("2");
    return QStringLiteral("1");
}

} // namespace

QHash<QString, qint64> layerBytesByDiffId(const store::ImageStore &images, const QList<store::StoredImage> &all)
{
    QHash<QString, qint64> bytes;
    for (const store::StoredImage &image : all) {
        const QList<qint64> sizes = images.layerSizes(image);
        const QList<Digest> diffs = image.config.diffIds();
        for (qsizetype i = 0; i < sizes.size() && i < diffs.size(); ++i)
            bytes.insert(diffs[i].hex(), sizes[i]);
    }
    return bytes;
}

Result<SystemInfo> Engine::info()
{
    SystemInfo info;
    info.root = m_store->root();
    PH_TRY(const QList<ImageRow> rows, listImages());
    QSet<Digest> ids;
    for (const ImageRow &r : rows)
        ids.insert(r.id);
    info.images = int(ids.size());
    PH_TRY(const QList<ContainerRow> containers, listContainers(true));
    info.containers = int(containers.size());
    for (const ContainerRow &c : containers) {
        if (c.state == QLatin1String("running"))
            ++info.containersRunning;
        else if (c.state == QLatin1String("paused"))
            ++info.containersPaused;
        else
            ++info.containersStopped; // created and exited, as docker counts them
    }
    info.storageDriver = QStringLiteral("overlay");
    info.cgroupVersion = cgroupVersion();
    info.kernelVersion = QSysInfo::kernelVersion();
    info.operatingSystem = QSysInfo::prettyProductName();
    info.architecture = QSysInfo::currentCpuArchitecture();
    info.cpus = QThread::idealThreadCount();
    struct sysinfo si {};
    if (::sysinfo(&si) == 0)
        info.memoryBytes = qint64(si.totalram) * si.mem_unit;
    return info;
}

Result<DiskUsage> Engine::diskUsage()
{
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    store::ContainerStore containerStore(*m_store);
    PH_TRY(const QList<store::StoredImage> all, images.list());
    PH_TRY(const QList<store::ContainerRecord> containers, containerStore.list());
    DiskUsage df;

    QSet<Digest> usedImages;
    for (const store::ContainerRecord &c : containers) {
        usedImages.insert(c.config.image);
        const qint64 size = store::treeBytes(containerStore.upperDir(c.config.id));
        const QString status = containerStore.effectiveState(c).status;
        const bool active = status == QLatin1String("running") || status == QLatin1String("paused");
        ++df.containers;
        df.containersSize += size;
        if (active)
            ++df.activeContainers;
        else
            df.reclaimableContainers += size;
    }

    // A layer is reclaimable when no image in use has it.
    QSet<Digest> ids;
    const QHash<QString, qint64> layerBytes = layerBytesByDiffId(images, all);
    QSet<QString> usedLayers;
    for (const store::StoredImage &image : all) {
        ids.insert(image.configDigest);
        if (usedImages.contains(image.configDigest)) {
            for (const Digest &d : image.config.diffIds())
                usedLayers.insert(d.hex());
        }
    }
    df.images = int(ids.size());
    for (const Digest &id : ids)
        df.activeImages += usedImages.contains(id) ? 1 : 0;
    for (auto it = layerBytes.cbegin(); it != layerBytes.cend(); ++it) {
        df.imagesSize += it.value();
        if (!usedLayers.contains(it.key()))
            df.reclaimableImages += it.value();
    }

    PH_TRY(const QList<VolumeRow> volumes, listVolumes());
    for (const VolumeRow &v : volumes) {
        ++df.volumes;
        df.volumesSize += v.size;
        if (v.containers.isEmpty())
            df.reclaimableVolumes += v.size;
        else
            ++df.activeVolumes;
    }
    return df;
}

} // namespace porthole::service
