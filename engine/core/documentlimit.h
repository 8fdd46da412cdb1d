// The one size limit for the JSON documents of an image: manifests, indexes
// and image configs. Header only.
#pragma once

#include <QtGlobal>

namespace porthole {

// Every reader of these documents uses this value: pull (manifests and
// configs from the registry), push (the manifest it is about to send), load
// (archive documents and the blobs it reads as configs or manifests), the
// image store and garbage collection. One value, because the store must be
// able to read back everything it accepted: when garbage collection read 4
// MiB while pull and load took 16, an image with a 5 MiB config silently lost
// its unpacked layers at the next collection.
//
// Why 16 MiB: the registry's own manifest limit is 4 MiB, but an image
// config is not bounded by it, and configs with long histories or large
// labels pass 4 MiB (pull and load already accepted 16). Each document is
// held in memory whole, a few at a time, so 16 MiB is still small; it is
// not a limit on layers, which are streamed.
inline constexpr qint64 kMaxDocumentBytes = 16 << 20;

} // namespace porthole
