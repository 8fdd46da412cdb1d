// RuntimeSpec: everything the container's first process needs to set itself
// up, computed by the shim before clone() and copied into the child with the
// rest of its memory. Plain data; no Qt objects that allocate in the child
// beyond what a fork already allows (the shim is single-threaded).
#pragma once

#include "runtime/devicerules.h"
#include "runtime/security.h"
#include "core/resourcelimits.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace porthole::runtime {

struct BindMount {
    QString source;      // host path (a volume's data dir or a user's path)
    QString destination; // absolute path inside the container
    bool readOnly = false;
};

struct RuntimeSpec {
    QString id;
    QString rootfs;          // mount point of the merged overlay (host path)
    QString layerLinkDir;    // chdir here before mounting: lowerdirs are short names in it
    QStringList lowerNames;  // topmost first, relative to layerLinkDir
    QString upperDir;
    QString workDir;
    QList<BindMount> binds;
    // Files the container gets at /etc/hostname, /etc/hosts, /etc/resolv.conf.
    QString hostnameFile;
    QString hostsFile;
    QString resolvConfFile;
    QString hostname;
    QString path;            // command and arguments
    QStringList args;
    QStringList env;
    QString workingDir;
    QString user;            // "user[:group]" as given, resolved inside the container
    bool tty = false;
    bool readOnly = false;
    bool init = false;
    bool volatileUpper = false; // the upper dir is thrown away (--rm): overlay may skip syncs
    bool newNetworkNamespace = true; // false for --network host
    ProcessSecurity security;        // capabilities, no_new_privs, seccomp
    bool confineSystemPaths = true;  // masked/read-only paths, read-only /sys
    QList<DeviceNode> devices;       // extra nodes for /dev (--device, --privileged)
    int trampolineFd = -1;           // the exec trampoline's sealed memfd (trampoline.h)
    ResourceLimits limits;   // the shim writes them into the cgroup; the process sets the ulimits
};

// Exit codes the container's setup process uses, as docker reports them.
inline constexpr int kExitSetupFailed = 125;
inline constexpr int kExitCannotExecute = 126;
inline constexpr int kExitNotFound = 127;

} // namespace porthole::runtime
