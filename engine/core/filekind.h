// What a path in a layer or a container's changes is, for the callers of
// the engine (layer::EntryKind mirrors it, and says more).
#pragma once

#include <QtGlobal>

namespace porthole {

// What a layer holds at a path (layer/layerindex.h has the details).
enum class FileKind : quint8 { File, Dir, Symlink, Hardlink, Whiteout, OpaqueDir, Device, Fifo, Socket };

} // namespace porthole
