// What confines a container's processes beyond its namespaces: the
// capability set, no_new_privs, the seccomp filter, the masked and
// read-only paths, read-only /sys and the device rules, and the options that
// change them (`--privileged`, `--security-opt`, `--device`), with docker's
// meanings. The first process (shim) and `exec` take their confinement from
// the same function, so the two never differ.
//
// Pure functions except where noted; any thread.
#pragma once

#include "core/result.h"
#include "runtime/devicerules.h"
#include "store/containerstore.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace porthole::runtime {

class Cgroup;

// --security-opt values checked and put in the form the record keeps, as
// docker keeps them: "seccomp=unconfined", "seccomp=<the profile's JSON>"
// (a file is read now, and its profile checked by compiling it),
// "systempaths=unconfined", "no-new-privileges". Anything else is refused
// with the reason (no LSM on this host: label and apparmor options).
Result<QStringList> normalizeSecurityOpts(const QStringList &opts);

enum class SeccompMode { Default, Unconfined, Custom };
SeccompMode seccompMode(const store::ContainerConfig &c);

// What the processes of the container get.
struct ProcessSecurity {
    QList<int> capabilities;     // kept in bounding/permitted (effective for root)
    bool noNewPrivileges = true; // off only with --privileged, as docker
    QByteArray seccompFilter;    // compiled BPF; empty: no filter
};
// Resolves and compiles the seccomp profile (through the cache in
// filterCacheDir when given: compiling docker's costs milliseconds). The
// capability set is docker's default, or with --privileged every capability
// this process holds.
Result<ProcessSecurity> processSecurity(const store::ContainerConfig &c, const QString &filterCacheDir = {});

// Where a store keeps compiled filters: ROOT/cache/seccomp.
QString seccompCacheDir(const QString &storeRoot);

// The file-system side: masked and read-only paths and read-only /sys
// (off with --privileged or systempaths=unconfined).
bool confinesSystemPaths(const store::ContainerConfig &c);

// Device rules for the container's cgroup and the extra nodes for its /dev
// (stat of the host's devices: call where they are looked up, the shim).
struct DeviceSetup {
    QList<DeviceRule> rules;
    QList<DeviceNode> nodes;
};
Result<DeviceSetup> deviceSetup(const store::ContainerConfig &c);
// Writes the rules to the cgroup: the v1 devices controller where the host
// has one (v1, hybrid), else a cgroup2 BPF program. Root only.
Status applyDeviceRules(const Cgroup &cgroup, const QList<DeviceRule> &rules);

// What inspect shows: docker's HostConfig fields (Privileged, SecurityOpt,
// Devices, CapAdd/CapDrop-free capability list, MaskedPaths, ReadonlyPaths)
// and Porthole's own "Seccomp" summary.
QJsonObject securityInspect(const store::ContainerConfig &c);

// docker's masked and read-only paths (rootfs.cpp applies them).
const QStringList &maskedPaths();
const QStringList &readOnlyPaths();

} // namespace porthole::runtime
