// Whiteouts: how a layer tar says "delete from the layers below", and how an
// unpacked layer directory says it to overlayfs.
//
//   tar (OCI/AUFS form)            layer directory (overlay form)
//   dir/.wh.name                   dir/name: a 0/0 character device
//   dir/.wh..wh..opq               dir carries trusted.overlay.opaque=y
//   other .wh..wh.* (AUFS meta)    skipped, with everything below them
//
// A layer directory only ever holds one layer, so a name that already exists
// there when its whiteout arrives was added by this same layer. The OCI spec
// says a whiteout only hides lower layers, never its own layer's entries
// (umoci's tar_extract.go explains the ordering problem), so:
//   - existing non-directory: kept; it hides the lower file by itself;
//   - existing directory: kept and made opaque, so the lower directory's
//     contents are hidden while this layer's stay;
//   - a directory created later over a whiteout device: made opaque too
//     (the writer deleted the old directory and made a new one).
// Stateless functions; any thread.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <sys/stat.h>

namespace porthole::layer {

inline constexpr char kWhiteoutPrefix[] = ".wh.";
inline constexpr char kWhiteoutMetaPrefix[] = ".wh..wh.";
inline constexpr char kOpaqueMarker[] = ".wh..wh..opq";
inline constexpr char kOpaqueXattr[] = "trusted.overlay.opaque";

enum class WhiteoutKind {
    None,     // an ordinary name
    File,     // .wh.<target>: hide <target>
    Opaque,   // .wh..wh..opq: hide the lower contents of the directory
    AufsMeta, // other .wh..wh.* names: AUFS bookkeeping, skipped
    Invalid,  // .wh. with an empty, "." or ".." target: refused
};

struct WhiteoutName {
    WhiteoutKind kind = WhiteoutKind::None;
    QByteArray target; // for File: the name to hide
};

// Classifies the last component of an entry name.
WhiteoutName classifyWhiteout(QByteArrayView baseName);

// True for the overlay whiteout form: a character device numbered 0/0.
inline bool isWhiteoutDevice(const struct stat &st) { return S_ISCHR(st.st_mode) && st.st_rdev == 0; }

// True for xattrs overlayfs interprets (trusted.overlay.*, and user.overlay.*
// with the userxattr mount option). A layer tar must never set them: they
// could forge whiteouts, opaque dirs or redirects.
bool isOverlayXattr(QByteArrayView name);

// Creates the whiteout for name in dirFd, following the rules above.
// Needs CAP_MKNOD (root, or a user namespace that grants it).
Status makeWhiteout(int dirFd, const QByteArray &name);

// True when the directory dirFd is marked opaque, by the trusted xattr or
// (userxattr mounts) the user one.
bool isOpaqueDir(int dirFd);

// Marks the directory dirFd (opened O_RDONLY) opaque. Needs CAP_SYS_ADMIN
// (trusted.* xattrs).
Status makeOpaque(int dirFd);

// Replaces a whiteout device name in dirFd with an opaque directory (mode
// 0755) and returns the directory, opened O_RDONLY|O_DIRECTORY.
Result<int> replaceWhiteoutWithOpaqueDir(int dirFd, const char *name);

} // namespace porthole::layer
