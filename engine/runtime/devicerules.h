// Which devices a container may create and open: docker's default
// allowlist, `--device` additions, and `--privileged` (everything), written
// by Porthole itself into the container's cgroup before its command runs:
//   - cgroup v1 (and hybrid hosts, which have the v1 devices controller):
//     devices.deny / devices.allow in the devices hierarchy;
//   - pure cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program attached to the
//     container's cgroup (devicefilter.h).
// Value types and pure functions, plus the v1 writer (blocking file I/O on
// cgroupfs: the shim's thread).
#pragma once

#include "core/result.h"
#include "store/containerstore.h"

#include <QList>
#include <QString>

#include <sys/types.h>

namespace porthole::runtime {

struct DeviceRule {
    char type = 'a';        // 'a' (all), 'c' (char) or 'b' (block)
    qint64 major = -1;      // -1: any
    qint64 minor = -1;      // -1: any
    QString access;         // a subset of "rwm"
    bool allow = true;

    // The v1 line: "c 1:3 rwm", "a *:* rwm".
    QString v1Line() const;
    bool operator==(const DeviceRule &o) const = default;
};

// docker's defaults (runc's AllowedDevices under docker's deny-all): deny
// everything; allow mknod of any char or block device (the node is useless
// without read/write); read, write and mknod of null 1:3, zero 1:5, full 1:7,
// random 1:8, urandom 1:9, tty 5:0, console 5:1, ptmx 5:2 and the pty slaves
// 136:*.
QList<DeviceRule> defaultDeviceRules();

// --privileged: "a *:* rwm".
QList<DeviceRule> allowAllDeviceRules();

// Evaluates rules as the kernel would for one access: the last rule that
// matches decides; nothing matches: denied. access is one of 'r', 'w', 'm'
// or several. Used by tests to check both writers against one meaning.
bool deviceAllowed(const QList<DeviceRule> &rules, char type, quint32 major, quint32 minor, const QString &access);

// A device node the container gets in its /dev (--device, --privileged).
struct DeviceNode {
    QString pathInContainer; // absolute, under /dev
    char type = 'c';         // 'c' or 'b'
    quint32 major = 0;
    quint32 minor = 0;
    quint32 mode = 0666;     // permission bits of the host's node
    uid_t uid = 0;
    gid_t gid = 0;
    QString access = QStringLiteral("rwm");
};

// `--device HOST[:CONTAINER[:PERMISSIONS]]`, docker's syntax and sentences.
using store::DeviceMapping;
Result<DeviceMapping> parseDeviceMapping(const QString &spec);

// The host's device nodes for a mapping (stat at start; a directory gives
// every device below it, as docker's does).
Result<QList<DeviceNode>> resolveDeviceMapping(const DeviceMapping &mapping);
// Every device node of the host's /dev (--privileged), without the pty and
// shm and mqueue trees that the container has its own of.
QList<DeviceNode> hostDeviceNodes();

// The rules that let the container use these nodes.
QList<DeviceRule> rulesForNodes(const QList<DeviceNode> &nodes);

// cgroup v1: "a" denied first, then each rule in order.
Status applyDeviceRulesV1(const QString &devicesDir, const QList<DeviceRule> &rules);

} // namespace porthole::runtime
