// How many bytes of files a directory tree holds (a volume's data, a
// container's writable layer), as `du` would count them for docker's size
// columns. Safe on trees a container controls.
#pragma once

#include <QString>

namespace porthole::store {

// Sums regular file sizes under dirPath. Walks by fd with O_NOFOLLOW, so a
// symlink a container planted (to /, to another volume) is never followed;
// a hard-linked file counts once. Entries that vanish during the walk are
// skipped (a size is a snapshot); a missing dirPath is 0.
qint64 treeBytes(const QString &dirPath);

} // namespace porthole::store
