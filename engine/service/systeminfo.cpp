// info and system df: what the machine and the store hold.
#include "service/engine.h"

#include "store/imagestore.h"
#include "store/store.h"

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

Result<SystemInfo> Engine::info()
{
    SystemInfo info;
    info.root = m_store->root();
    PH_TRY(const QList<ImageRow> rows, listImages());
    QSet<Digest> ids;
    for (const ImageRow &r : rows)
        ids.insert(r.id);
    info.images = int(ids.size());
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
    PH_TRY(const QList<store::StoredImage> all, images.list());
    DiskUsage df;
    QSet<Digest> ids;
    QHash<QString, qint64> layerBytes; // by diff ID: shared layers count once
    for (const store::StoredImage &image : all) {
        ids.insert(image.configDigest);
        const QList<qint64> sizes = images.layerSizes(image);
        const QList<Digest> diffs = image.config.diffIds();
        for (qsizetype i = 0; i < sizes.size() && i < diffs.size(); ++i)
            layerBytes.insert(diffs[i].hex(), sizes[i]);
    }
    df.images = int(ids.size());
    for (qint64 b : layerBytes)
        df.imagesSize += b;
    // No containers yet: every image could go.
    df.reclaimableImages = df.imagesSize;
    return df;
}

} // namespace porthole::service
