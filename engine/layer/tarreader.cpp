#include "layer/tarreader.h"

#include <archive.h>
#include <archive_entry.h>

#include <optional>

namespace porthole::layer {

namespace {
constexpr qint64 kReadBlock = 1 << 20;
}

struct TarReader::Impl {
    ByteSource *source = nullptr;
    QString step;
    // libarchive keeps pointing into the buffer until the next callback.
    QByteArray buffer = QByteArray(kReadBlock, Qt::Uninitialized);
    qint64 bytesRead = 0;
    std::optional<Error> sourceError;
    archive *a = nullptr;
    bool opened = false;
    bool empty = false;
    qint64 entries = 0;

    static la_ssize_t pull(archive *a, void *clientData, const void **out)
    {
        auto *self = static_cast<Impl *>(clientData);
        auto n = self->source->read(self->buffer.data(), self->buffer.size());
        if (!n) {
            self->sourceError = n.error();
            archive_set_error(a, EIO, "reading the source failed");
            return -1;
        }
        self->bytesRead += *n;
        *out = self->buffer.constData();
        return la_ssize_t(*n);
    }

    bool emptyInput() const { return entries == 0 && bytesRead == 0 && !sourceError; }
};

TarReader::TarReader(ByteSource &source, QString step) : d(std::make_unique<Impl>())
{
    d->source = &source;
    d->step = std::move(step);
    d->a = archive_read_new();
    if (d->a) {
        archive_read_support_format_tar(d->a);
        archive_read_support_format_gnutar(d->a);
    }
}

TarReader::~TarReader()
{
    if (d->a)
        archive_read_free(d->a);
}

archive *TarReader::handle() const { return d->a; }
qint64 TarReader::bytesRead() const { return d->bytesRead; }

Error TarReader::error(const QString &prefix) const
{
    if (d->sourceError)
        return d->sourceError->context(prefix);
    if (!d->a)
        return Error(ErrorCode::Internal, prefix + QStringLiteral(": cannot create a libarchive reader"));
    if (archive_format(d->a) == 0)
        return Error(ErrorCode::InvalidArgument, prefix + QStringLiteral(": input is not a tar archive"));
    const char *message = archive_error_string(d->a);
    return Error(ErrorCode::InvalidArgument,
                 prefix + QStringLiteral(": ") + (message ? QString::fromUtf8(message) : QStringLiteral("malformed archive")));
}

Result<archive_entry *> TarReader::next()
{
    if (!d->a)
        return error(d->step);
    if (d->empty)
        return static_cast<archive_entry *>(nullptr);
    if (!d->opened) {
        d->opened = true;
        if (archive_read_open(d->a, d.get(), nullptr, &Impl::pull, nullptr) != ARCHIVE_OK) {
            if (!d->emptyInput())
                return error(d->step);
            d->empty = true;
            return static_cast<archive_entry *>(nullptr);
        }
    }
    for (;;) {
        archive_entry *entry = nullptr;
        const int r = archive_read_next_header(d->a, &entry);
        if (r == ARCHIVE_EOF)
            return static_cast<archive_entry *>(nullptr);
        if (r == ARCHIVE_RETRY)
            continue;
        if (r < ARCHIVE_WARN) {
            // Some libarchive versions notice empty input at the first header.
            if (d->emptyInput()) {
                d->empty = true;
                return static_cast<archive_entry *>(nullptr);
            }
            return error(d->step);
        }
        // ARCHIVE_WARN: a name that does not convert to the locale's
        // charset; the raw bytes are what the tar stores, and what we use.
        ++d->entries;
        return entry;
    }
}

} // namespace porthole::layer
