// First: inside namespace porthole, its `archive *` would otherwise find
// porthole::archive (declared by loader.h) instead of libarchive's struct.
#include "layer/tarreader.h"

#include "archive/loaderscan.h"

#include "layer/budgetsource.h"
#include "layer/decompresssource.h"
#include "store/store.h"

#include <archive.h>
#include <archive_entry.h>

namespace porthole::archive::loadscan {

using layer::Compression;

Error invalid(const QString &message) { return Error(ErrorCode::InvalidArgument, QStringLiteral("load: ") + message); }

Error withLoad(const Error &error, const QString &step)
{
    return error.message.startsWith(QLatin1String("load: ")) ? error : error.context(QStringLiteral("load: ") + step);
}

// The name as a path inside the archive: no leading "/" or "./", no empty or
// "." parts, ".." applied; nullopt when it climbs above the root.
std::optional<QString> cleanPath(QStringView path)
{
    QStringList parts;
    for (QStringView part : path.split(u'/')) {
        if (part.isEmpty() || part == u".")
            continue;
        if (part == u"..") {
            if (parts.isEmpty())
                return std::nullopt;
            parts.removeLast();
            continue;
        }
        parts.append(part.toString());
    }
    return parts.join(u'/');
}

namespace {

const QStringList kDocuments = {QStringLiteral("manifest.json"), QStringLiteral("index.json"),
                                QStringLiteral("repositories"), QStringLiteral("oci-layout")};

// Polls cancel per chunk and reports the archive's bytes as they are read.
class WatchedSource final : public ByteSource {
public:
    WatchedSource(ByteSource &inner, const CancelToken &cancel, const ProgressSink &progress, const LoadOptions &options)
        : m_inner(inner), m_cancel(cancel), m_progress(progress), m_options(options) {}

    Result<qint64> read(char *buf, qint64 max) override
    {
        PH_CHECK(m_cancel.check(QStringLiteral("load")));
        PH_TRY(const qint64 n, m_inner.read(buf, max));
        m_done += n;
        report(m_progress, {m_options.progressId, QStringLiteral("Loading"), m_done, m_options.inputSize});
        return n;
    }

private:
    ByteSource &m_inner;
    const CancelToken &m_cancel;
    const ProgressSink &m_progress;
    const LoadOptions &m_options;
    qint64 m_done = 0;
};

// The data of the archive entry the reader is at.
class EntrySource final : public ByteSource {
public:
    EntrySource(layer::TarReader &reader, QString step) : m_reader(reader), m_step(std::move(step)) {}

    Result<qint64> read(char *buf, qint64 max) override
    {
        if (m_failed)
            return *m_failed;
        const la_ssize_t n = archive_read_data(m_reader.handle(), buf, size_t(max));
        if (n < 0) {
            m_failed = m_reader.error(m_step);
            return *m_failed;
        }
        return qint64(n);
    }
    // Set when the archive itself failed, as opposed to what is in the entry.
    const std::optional<Error> &failure() const { return m_failed; }

private:
    layer::TarReader &m_reader;
    QString m_step;
    std::optional<Error> m_failed;
};



// The digest a path names: blobs/sha256/<hex>, or docker's <config hex>.json.
std::optional<Digest> digestOfName(const QString &path)
{
    QString hex;
    if (path.startsWith(QLatin1String("blobs/sha256/")))
        hex = path.mid(13);
    else if (path.endsWith(QLatin1String(".json")) && !path.contains(u'/'))
        hex = path.chopped(5);
    else
        return std::nullopt;
    auto digest = Digest::parse(QStringLiteral("sha256:") + hex);
    return digest ? std::optional<Digest>(*digest) : std::nullopt;
}


// The one pass over the archive.
class Scanner {
public:
    Scanner(store::Store &store, const LoadOptions &options) : m_store(store), m_options(options) {}

    Result<Scan> run(ByteSource &input)
    {
        layer::PeekSource peek(input);
        auto head = peek.peek(layer::kCompressionMagicSize);
        if (!head)
            return withLoad(head.error(), QStringLiteral("read the archive"));
        const Compression compression = layer::detectCompression(*head);
        layer::DecompressSource decompressed(peek, compression);
        layer::BudgetSource budget(decompressed, decompressed, m_options.limits);
        layer::TarReader reader(compression == Compression::None ? static_cast<ByteSource &>(decompressed) : budget,
                                QStringLiteral("load: read the archive"));
        for (;;) {
            PH_TRY(archive_entry * e, reader.next());
            if (!e)
                break;
            if (++m_scan.entryCount > m_options.limits.maxEntries)
                return invalid(QStringLiteral("the archive has more than the limit of %1 entries").arg(m_options.limits.maxEntries));
            PH_CHECK(onEntry(reader, e));
        }
        return std::move(m_scan);
    }

private:
    Status onEntry(layer::TarReader &reader, archive_entry *e)
    {
        const char *raw = archive_entry_pathname(e);
        const QString name = QString::fromUtf8(raw ? raw : "");
        const auto path = cleanPath(name);
        if (!path || path->isEmpty())
            return {}; // never referenced: a reference that leaves the archive is refused
        Entry entry;
        if (const char *hard = archive_entry_hardlink(e)) {
            entry.kind = Entry::Link;
            const QString target = QString::fromUtf8(hard);
            const auto cleaned = cleanPath(target);
            entry.escapes = !cleaned;
            entry.target = cleaned.value_or(target);
            return record(*path, entry);
        }
        switch (archive_entry_filetype(e)) {
        case AE_IFLNK: {
            entry.kind = Entry::Link;
            const char *rawTarget = archive_entry_symlink(e);
            const QString target = QString::fromUtf8(rawTarget ? rawTarget : "");
            const qsizetype slash = path->lastIndexOf(u'/');
            const auto cleaned = target.startsWith(u'/') ? std::nullopt
                                                         : cleanPath((slash < 0 ? QString() : path->left(slash)) + u'/' + target);
            entry.escapes = !cleaned;
            entry.target = cleaned.value_or(target);
            return record(*path, entry);
        }
        case AE_IFREG:
            break;
        default:
            return {}; // directories and the like hold nothing to load
        }
        if (kDocuments.contains(*path))
            return readDocument(reader, *path, archive_entry_size(e));
        // Docker's v1 metadata beside each layer.tar: nothing reads it.
        if (path->count(u'/') == 1 && (path->endsWith(QLatin1String("/json")) || path->endsWith(QLatin1String("/VERSION"))))
            return {};
        PH_TRY(Entry blob, storeBlob(reader, *path));
        if (m_options.onBlobStored)
            m_options.onBlobStored({*path, blob.digest, blob.size, blob.diffId});
        return record(*path, blob);
    }

    Status record(const QString &path, const Entry &entry)
    {
        auto it = m_scan.entries.constFind(path);
        if (it != m_scan.entries.cend() && !it->sameAs(entry))
            return invalid(QStringLiteral("the archive has two entries named %1 with different content").arg(path));
        m_scan.entries.insert(path, entry);
        return {};
    }

    Status readDocument(layer::TarReader &reader, const QString &path, qint64 declared)
    {
        const qint64 limit = m_options.maxDocumentBytes;
        if (declared > limit)
            return invalid(QStringLiteral("%1 is %2 bytes, more than the limit of %3").arg(path).arg(declared).arg(limit));
        EntrySource data(reader, QStringLiteral("load: read %1").arg(path));
        QByteArray bytes(qMax<qint64>(declared, 0), Qt::Uninitialized);
        qint64 have = 0;
        for (;;) {
            if (have == bytes.size())
                bytes.resize(qMin(limit + 1, qMax<qint64>(2 * have, 4096)));
            PH_TRY(const qint64 n, data.read(bytes.data() + have, bytes.size() - have));
            if (n == 0)
                break;
            have += n;
            if (have > limit)
                return invalid(QStringLiteral("%1 is more than the limit of %2 bytes").arg(path).arg(limit));
        }
        bytes.resize(have);
        auto it = m_scan.documents.constFind(path);
        if (it != m_scan.documents.cend() && *it != bytes)
            return invalid(QStringLiteral("the archive has two entries named %1 with different content").arg(path));
        m_scan.documents.insert(path, bytes);
        return {};
    }

    // Streams the entry into the content store: its bytes as they are, and,
    // if they are gzip or zstd, their decompressed hash (a layer's diff ID).
    Result<Entry> storeBlob(layer::TarReader &reader, const QString &path)
    {
        const QString step = QStringLiteral("load: entry %1").arg(path);
        EntrySource data(reader, step);
        PH_TRY(auto writer, m_store.content().openWriter());
        TeeSource stored(data, *writer);
        layer::PeekSource peek(stored);
        PH_TRY(const QByteArrayView head, peek.peek(layer::kCompressionMagicSize));
        Entry out;
        out.compression = layer::detectCompression(head);
        if (out.compression == Compression::Gzip || out.compression == Compression::Zstd) {
            layer::DecompressSource inflated(peek, out.compression);
            DigestingSource hashed(inflated);
            layer::BudgetSource budget(hashed, inflated, m_options.limits);
            const Status drained = drain(budget);
            if (data.failure())
                return *data.failure();
            // Only fatal if an image uses the blob as a layer.
            if (drained)
                out.diffId = hashed.finish();
            else
                out.diffIdError = drained.error();
        }
        PH_CHECK(drain(peek)); // the rest: all of a plain blob
        auto digest = writer->commit(digestOfName(path));
        if (!digest)
            return digest.error().context(step);
        out.digest = *digest;
        out.size = writer->bytesWritten();
        if (out.compression == Compression::None)
            out.diffId = out.digest;
        return out;
    }

    store::Store &m_store;
    const LoadOptions &m_options;
    Scan m_scan;
};

} // namespace

Result<Scan> scanArchive(store::Store &store, ByteSource &input, const LoadOptions &options, const CancelToken &cancel,
                         const ProgressSink &progress)
{
    WatchedSource watched(input, cancel, progress, options);
    return Scanner(store, options).run(watched);
}

} // namespace porthole::archive::loadscan
