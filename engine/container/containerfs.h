// A container's files for `cp` and `export`, reached so that nothing in the
// container (a symlink to / or to ../../.., one swapped while we copy, a
// bind mount) can make us read or write outside it:
//
//   container     ContainerFs root                        held meanwhile
//   running       /proc/<pid 1>/root (its mounts too:      nothing (the shim
//   or paused     volumes, /proc, /dev), pid 1 checked      holds its lock)
//                 by its cgroup before the root is opened
//   not running   its overlay, mounted by a short-lived     shim.lock: shared
//                 thread in a mount namespace of its own    to read, exclusive
//                 that lives as long as this object (never  to write, so it
//                 attached in the host's tree, so no mount  cannot start
//                 can be left behind): read-only
//                 lowerdir=upper:layers, or read-write
//                 with its upper and work dir
//   Flattened     the read-only overlay above, running      shared lock when
//   (export)      or not: no /proc, /sys, /dev, volumes     not running
//
// Every path below the root is then resolved by the kernel inside it
// (openat2 RESOLVE_IN_ROOT, layer/inroot.h); a last component is looked at
// without following it unless the caller asks to follow links, and then
// every hop is resolved inside the root as well.
//
// Ownership: ContainerFs owns its root fd and its lock (move-only); the
// overlay goes away when the last fd into it is closed. Blocking; one thread
// at a time per object.
#pragma once

#include "core/result.h"
#include "layer/inroot.h"
#include "store/containerstore.h"
#include "store/filelock.h"

#include <QByteArray>
#include <QString>

#include <sys/stat.h>

namespace porthole::store {
class Store;
}

namespace porthole::container {

class ContainerFs {
public:
    enum class View {
        Read,      // cp out: the running root, or the overlay read-only
        Write,     // cp in: the running root, or the overlay read-write
        Flattened, // export: the overlay read-only, running or not
    };

    // Waits up to a few seconds for another cp that holds the container's
    // lock; Unavailable after that.
    static Result<ContainerFs> open(store::Store &store, const store::ContainerRecord &record, View view);

    int rootFd() const { return m_root.get(); }
    bool running() const { return m_running; }

private:
    // Released last, once the overlay below is gone.
    store::FileLock m_lock;
    layer::UniqueFd m_namespace; // the private mount namespace of a stopped container's overlay
    layer::UniqueFd m_root;
    bool m_running = false;
};

// A path as docker's cp spells container paths: relative to "/", "." and
// ".." applied as text, ".." stopping at the root. Returns the components
// joined by "/" ("" for the root itself).
QByteArray cleanContainerPath(QByteArrayView path);

// The entry a cleaned path names: its parent directory resolved inside the
// root (symlinks on the way followed there), its last component looked at
// but not followed.
struct InRootEntry {
    layer::UniqueFd parent; // O_RDONLY|O_DIRECTORY
    QByteArray name;        // in parent; "." when the path is the root
    bool exists = false;
    struct stat st {};      // lstat of it, when it exists
};
// NotFound (ENOENT) or InvalidArgument (ENOTDIR) when the parent cannot be
// resolved; a missing last component is exists = false.
Result<InRootEntry> lookupInRoot(int rootFd, const QByteArray &cleanPath);

// The cleaned path with every symlink in it resolved inside the root, as
// docker's FollowSymlinkInScope: what remains is a path without symlinks;
// a missing part ends the resolution and the rest is kept as text. More than
// 255 links is an error (ELOOP), as a non-directory in the middle (ENOTDIR).
Result<QByteArray> followInRoot(int rootFd, const QByteArray &cleanPath);

// A directory resolved inside the root, symlinks included (an extraction
// point). NotFound or InvalidArgument ("... is not a directory").
Result<layer::UniqueFd> openDirInRoot(int rootFd, const QByteArray &cleanPath);

} // namespace porthole::container
