// What the shim prepares around a container before cloning it, and tears
// down after: the RuntimeSpec from the record, short links to the layers,
// the /etc files, the shim lock, the cgroup and the network helper.
// Runs in the shim only.
#pragma once

#include "runtime/cgroup.h"
#include "runtime/network.h"
#include "runtime/spec.h"
#include "store/containerstore.h"

#include <optional>

namespace porthole::store {
class Store;
}

namespace porthole::container {

struct PreparedContainer {
    store::ContainerRecord record;
    runtime::RuntimeSpec spec;
    store::FileLock shimLock;
    std::optional<runtime::Cgroup> cgroup;
    std::optional<runtime::SlirpNetwork> network;
    QList<runtime::PortMapping> ports;
    QString networkApiSocket;
    QList<runtime::DeviceRule> deviceRules; // written to the cgroup before the child goes on
};

// Where a layer's files are: layers/<chain hex>/ (see layer/unpacker.h).
QString layerContentDir(const store::Store &store, const Digest &chainId);

// A container's image layers as overlay lowerdir names: short links in
// linkDir (store root/l), topmost first, so 125 layers fit in the one page
// of mount options; a mount resolves them with linkDir as its working
// directory. An image without layers gets one empty directory. Used by the
// shim and by cp/export (archive/containerfs.h).
struct LowerLayers {
    QString linkDir;
    QStringList names;
};
Result<LowerLayers> linkLowerLayers(const store::Store &store, const QList<Digest> &diffIds);

// The one conversion from a container's record (its options as create
// resolved them) to what the runtime needs to run it: the RuntimeSpec, the
// device rules and the network's ports. Writes the /etc files and the layer
// links it names. Adding a run flag that changes how the container runs:
// carry it here.
Status convertToRuntimeSpec(PreparedContainer &p, const store::Store &store, const store::ContainerStore &containers);

// Loads the record, takes the shim lock (refusing while processes of a
// dead shim remain) and converts it.
Result<PreparedContainer> prepareContainer(store::Store &store, store::ContainerStore &containers, const QString &id);
// After clone, before the child goes on: cgroup membership, slirp4netns.
Status attachToCgroupAndNetwork(PreparedContainer &p, pid_t child);
// Kills what is left in the cgroup and removes it; stops the network helper.
void releaseContainer(PreparedContainer &p);

} // namespace porthole::container
