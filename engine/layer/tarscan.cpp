#include "layer/tarscan.h"

#include <archive.h>
#include <archive_entry.h>

#include <QByteArray>

#include <memory>
#include <optional>

namespace porthole::layer {

namespace {

constexpr qint64 kReadBlock = 1 << 20;

// What libarchive's read callback pulls from. The buffer it hands out must
// stay valid until the next callback, hence a member, not a local.
struct PullClient {
    ByteSource *source = nullptr;
    QByteArray buffer;
    qint64 bytesRead = 0;
    std::optional<Error> sourceError;
};

la_ssize_t pullCallback(struct archive *a, void *clientData, const void **buffer)
{
    auto *client = static_cast<PullClient *>(clientData);
    auto n = client->source->read(client->buffer.data(), client->buffer.size());
    if (!n) {
        // Keep the source's own error: it says more ("gzip stream is
        // truncated") than anything libarchive could report.
        client->sourceError = n.error();
        archive_set_error(a, EIO, "reading the source failed");
        return -1;
    }
    client->bytesRead += *n;
    *buffer = client->buffer.constData();
    return la_ssize_t(*n);
}

struct ArchiveFree {
    void operator()(struct archive *a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveFree>;

Error archiveError(struct archive *a, const PullClient &client)
{
    if (client.sourceError)
        return *client.sourceError;
    if (archive_format(a) == 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("scan tar: input is not a tar archive"));
    const char *message = archive_error_string(a);
    const QString what = message ? QString::fromUtf8(message) : QStringLiteral("malformed archive");
    return Error(ErrorCode::InvalidArgument, QStringLiteral("scan tar: %1").arg(what));
}

} // namespace

Result<TarSummary> scanTar(ByteSource &uncompressed, const CancelToken &cancel)
{
    ArchivePtr a(archive_read_new());
    if (!a)
        return Error(ErrorCode::Internal, QStringLiteral("scan tar: cannot create a libarchive reader"));
    // The tar reader handles ustar, pax and GNU tar; no filters on purpose.
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());

    PullClient client;
    client.source = &uncompressed;
    client.buffer = QByteArray(kReadBlock, Qt::Uninitialized);
    TarSummary summary;
    // No tar bidder accepts zero bytes, yet an empty layer is valid (Go's
    // archive/tar agrees); depending on the version libarchive notices at
    // open or at the first header.
    const auto emptyInput = [&] { return summary.entries == 0 && client.bytesRead == 0 && !client.sourceError; };
    if (archive_read_open(a.get(), &client, nullptr, pullCallback, nullptr) != ARCHIVE_OK)
        return emptyInput() ? summary : Result<TarSummary>(archiveError(a.get(), client));
    for (;;) {
        PH_CHECK(cancel.check(QStringLiteral("scan tar")));
        struct archive_entry *entry = nullptr;
        const int r = archive_read_next_header(a.get(), &entry);
        if (r == ARCHIVE_EOF)
            break;
        if (r == ARCHIVE_RETRY)
            continue;
        if (r < ARCHIVE_WARN) {
            if (emptyInput())
                break;
            return archiveError(a.get(), client);
        }
        // ARCHIVE_WARN is about names that do not convert to the locale's
        // charset, which a scan does not care about.
        ++summary.entries;
        if (archive_entry_filetype(entry) == AE_IFREG && archive_entry_size_is_set(entry))
            summary.contentBytes += archive_entry_size(entry);
        if (archive_read_data_skip(a.get()) < ARCHIVE_WARN)
            return archiveError(a.get(), client);
    }
    return summary;
}

} // namespace porthole::layer
