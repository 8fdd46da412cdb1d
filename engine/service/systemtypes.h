// What `info`, `system df` and the prunes report. Plain value types; safe
// to copy across threads.
#pragma once

#include "service/imagetypes.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace porthole::service {

struct DiskUsage {
    int images = 0;
    int activeImages = 0;
    qint64 imagesSize = 0;       // unique bytes of all image layers
    qint64 reclaimableImages = 0;
    int containers = 0;
    int activeContainers = 0;
    qint64 containersSize = 0;   // their writable layers
    qint64 reclaimableContainers = 0;
    int volumes = 0;
    int activeVolumes = 0;       // used by a container
    qint64 volumesSize = 0;
    qint64 reclaimableVolumes = 0;
};

struct SystemInfo {
    QString root;
    int images = 0;
    int containers = 0;
    int containersRunning = 0;
    int containersPaused = 0;
    int containersStopped = 0;
    QString storageDriver;
    QString cgroupVersion;
    QString kernelVersion;
    QString operatingSystem;
    QString architecture;
    int cpus = 0;
    qint64 memoryBytes = 0;
};

// What a clean-up removes (the window's Clean up): prune.cpp's three, in
// the order system prune runs them.
struct PruneRequest {
    bool containers = true; // those not running
    bool images = true;     // dangling ones...
    bool allImages = false; // ...or every one no container uses
    bool volumes = false;   // those no container uses
};

// What a prune removed, in docker's words and order.
struct PruneReport {
    QStringList containers;    // IDs
    QList<RemoveEvent> images; // untagged names and deleted IDs, as rmi prints them
    QStringList volumes;       // names
    qint64 reclaimedBytes = 0; // writable layers, image layers no image has any more, volume data
};

} // namespace porthole::service
