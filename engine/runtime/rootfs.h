// The container's file system, set up by its first process inside its new
// mount namespace: overlay, binds, /proc, /dev, /sys, the /etc files, then
// pivot_root and the masked and read-only paths docker applies. Runs in the
// cloned child only (never in a process that shares the host's mounts).
#pragma once

#include "core/result.h"
#include "runtime/spec.h"

#include <QByteArray>
#include <QStringList>

namespace porthole::runtime {

// The options of a container's overlay: lowerNames topmost first (short
// names, resolved in the mounter's working directory), no redirects, no
// metacopy, no index, so the upper dir stays in the plain form commit reads
// and can serve as a lower layer itself. Without upperDir the overlay is
// read-only (workDir is then ignored). Any process; pure.
QByteArray overlayMountOptions(const QStringList &lowerNames, const QString &upperDir, const QString &workDir,
                               bool volatileUpper = false);

// Everything up to and including pivot_root; afterwards "/" is the
// container's root and the host's tree is unmounted from this namespace.
Status setupRootfs(const RuntimeSpec &spec);

// After pivot_root: hide what docker hides and make read-only what docker
// makes read-only.
Status applyMaskedAndReadonlyPaths();

} // namespace porthole::runtime
