// A fast pass over a tar stream that visits every entry header and skips the
// data: counts entries and content bytes for progress totals, and validates
// that a blob really is a tar before anything is unpacked from it.
#pragma once

#include "core/bytestream.h"
#include "core/cancel.h"
#include "core/result.h"

namespace porthole::layer {

struct TarSummary {
    qint64 entries = 0;      // every header: files, dirs, links, devices...
    qint64 contentBytes = 0; // sum of regular file sizes (hard links carry none)
};

// Reads a plain (already decompressed) tar, pax, GNU or ustar stream from
// `uncompressed` with libarchive. No libarchive filters are enabled:
// decompression is DecompressSource's job, so a compressed stream here is
// "not a tar archive". Zero bytes and a bare end-of-archive marker are both
// valid empty archives.
//
// libarchive stops pulling at the end-of-archive marker, so bytes after it
// (the padding tar writers add up to a record size) may remain unread. A
// caller that hashes the stream must drain(uncompressed) afterwards; nothing
// read here is lost, because every byte libarchive consumed came through
// `uncompressed`'s read().
//
// Errors: InvalidArgument "scan tar: input is not a tar archive" or
// "scan tar: <libarchive message>" for a malformed or truncated archive;
// errors of the source are returned unchanged (a truncated gzip stays
// "gzip stream is truncated"); Cancelled when the token fires (polled per
// entry). Runs on the calling thread.
Result<TarSummary> scanTar(ByteSource &uncompressed, const CancelToken &cancel = CancelToken::none());

} // namespace porthole::layer
