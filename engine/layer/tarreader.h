// Reading a plain tar (ustar, pax, GNU) with libarchive from a ByteSource:
// the pull adapter, the open, the header loop's special cases and the error
// wording that tar scanning and layer unpacking share. Decompression is not
// libarchive's job here (DecompressSource does it), so no filters are on.
// One thread at a time; the source must outlive the reader.
#pragma once

#include "core/bytestream.h"
#include "core/result.h"

#include <QString>

#include <memory>

struct archive;
struct archive_entry;

namespace porthole::layer {

class TarReader {
public:
    // step prefixes every error ("scan tar", "unpack layer sha256:…").
    TarReader(ByteSource &source, QString step);
    ~TarReader();
    TarReader(const TarReader &) = delete;
    TarReader &operator=(const TarReader &) = delete;

    // The next entry's header, or nullptr at the end of the archive. Zero
    // bytes of input are a valid empty archive (no tar bidder accepts them,
    // yet Go's archive/tar and docker do).
    Result<archive_entry *> next();

    // For reading the current entry's data with archive_read_data*.
    // (::archive: porthole::archive, the module, would hide the libarchive type.)
    ::archive *handle() const;
    // The failure behind a libarchive error: the source's own error first
    // ("gzip stream is truncated" says more than libarchive can), then
    // "input is not a tar archive", then libarchive's message.
    Error error(const QString &prefix) const;
    qint64 bytesRead() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace porthole::layer
