// Who may reach what in a store. Porthole runs containers as root, so a file
// a container made (a setuid program in a volume or in its upper dir) or a
// container's settings (config.json holds its -e secrets) must never be
// reachable by another host user: the CVE-2021-41091 class.
//
//   ROOT                                 0700: nobody else gets past it
//   ROOT/<fixed top-level dirs>          0700 (containers/, volumes/, blobs/, ...)
//   ROOT/containers/<id>/, volumes/<name>/  0700
//   files of a container's record        0600 (config, state, logs, locks)
//
// so loosening the root by hand alone exposes nothing a container wrote.
// Deliberately not 0700: a container's upper/ (overlayfs gives its mode to
// the container's "/", which every user in the container must traverse), a
// volume's _data (its mount point's mode in the container) and the files
// bind-mounted as the container's /etc/hostname, hosts and resolv.conf,
// which its users must read. Their 0700 parents keep host users out.
//
// Stateless; any thread, any process.
#pragma once

#include "core/result.h"

#include <QString>

namespace porthole::store {

inline constexpr int kPrivateDirMode = 0700;
inline constexpr int kPrivateFileMode = 0600;
// upper/ and a volume's _data: what the container sees, see above.
inline constexpr int kContainerViewDirMode = 0755;

// For Store::open: the fixed top-level directories that exist get 0700 at
// every open (a stat each, a chmod only if needed). A store made by an older
// version (its root 0711, as they made roots) first has every container's
// and volume's entries tightened and its root last, so a crash midway is
// finished by the next open; once the root is 0700 they are not walked
// again. A root of any other mode is a directory the user chose (--root
// /tmp): its own mode is never changed.
Status tightenStore(const QString &root);

// A named volume's directories, given its ROOT/volumes/<name>/_data path:
// volumes/ and <name>/ 0700 if missing, _data kContainerViewDirMode.
// Existing ones are left as they are.
Status makeVolumeDirs(const QString &dataDir);

} // namespace porthole::store
