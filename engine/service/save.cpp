// save for the Engine: which images the names mean (docker's rules), then
// the archive (archive/saver.h) into a file, replaced only when the archive
// is complete, or into a descriptor (standard output, a pipe).
#include "service/engine.h"

#include "archive/saver.h"
#include "core/reference.h"
#include "store/fsutil.h"
#include "store/outputfile.h"
#include "store/imagestore.h"
#include "store/store.h"

#include <QFile>

#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace porthole::service {

namespace {

// docker's parseNames: a name without tag or digest means every tag of that
// repository (with none, it may still be an ID prefix); name:tag that tag;
// name@digest and IDs the image without a tag. One item per image, in the
// order first named, with every tag named for it.
Result<QList<archive::SaveItem>> itemsFor(store::Store &store, const QStringList &names)
{
    store::ImageStore images(store);
    PH_TRY(const store::TagIndex index, store.readIndex());
    QList<archive::SaveItem> items;
    const auto add = [&](const store::StoredImage &image, const QString &refName) {
        for (archive::SaveItem &item : items) {
            if (item.image.descriptor.digest == image.descriptor.digest) {
                if (!refName.isEmpty() && !item.refNames.contains(refName))
                    item.refNames.append(refName);
                return;
            }
        }
        items.append({image, refName.isEmpty() ? QStringList() : QStringList{refName}});
    };
    for (const QString &name : names) {
        const auto ref = Reference::parse(name);
        bool tagged = false;
        if (ref && !ref->hasTag() && !ref->hasDigest()) {
            for (const store::IndexEntry &entry : index.entries()) {
                const auto have = Reference::parse(entry.refName());
                if (!have || have->name() != ref->name())
                    continue;
                PH_TRY(const Descriptor descriptor, Descriptor::fromJson(entry.descriptor, QStringLiteral("index.json")));
                PH_TRY(const store::StoredImage image, images.load(descriptor, index.tagsFor(entry.digest())));
                add(image, entry.refName());
                tagged = true;
            }
        }
        if (tagged)
            continue;
        auto found = images.resolve(name);
        if (!found && found.error().code == ErrorCode::NotFound)
            return Error(ErrorCode::NotFound, QStringLiteral("No such image: %1").arg(name));
        if (!found)
            return found.error();
        add(found->image, found->matchedRefName);
    }
    return items;
}

// Writes to a file descriptor it does not own. Small pieces (tar headers,
// padding) are gathered; large ones go straight through. For a file that
// is fsync'ed at the end, writeBehind starts the disk writes every few MiB,
// so they overlap the work instead of all waiting for the final fsync.
class FdSink final : public ByteSink {
public:
    FdSink(int fd, QString name, bool writeBehind = false) : m_fd(fd), m_name(std::move(name)), m_writeBehind(writeBehind) {}
    Status write(const char *data, qint64 size) override
    {
        if (m_used + size > m_buf.size())
            PH_CHECK(flush());
        if (size < m_buf.size()) {
            std::memcpy(m_buf.data() + m_used, data, size_t(size));
            m_used += size;
            return {};
        }
        return out(data, size);
    }
    Status finish() override { return flush(); }

private:
    Status flush()
    {
        const qint64 n = m_used;
        m_used = 0;
        return out(m_buf.constData(), n);
    }
    Status out(const char *data, qint64 size)
    {
        PH_CHECK(store::writeAll(m_fd, data, size, QStringLiteral("write %1").arg(m_name)));
        m_written += size;
        constexpr qint64 kWriteBehind = 8 << 20;
        if (m_writeBehind && m_written - m_started >= kWriteBehind) {
            ::sync_file_range(m_fd, m_started, m_written - m_started, SYNC_FILE_RANGE_WRITE); // a hint: errors show at fsync
            m_started = m_written;
        }
        return {};
    }
    int m_fd;
    QString m_name;
    bool m_writeBehind;
    QByteArray m_buf = QByteArray(256 << 10, Qt::Uninitialized);
    qint64 m_used = 0;
    qint64 m_written = 0;
    qint64 m_started = 0; // written up to here and handed to the disk
};

} // namespace

Result<SaveOutcome> Engine::saveImages(const SaveRequest &request, const CancelToken &cancel, const ProgressSink &progress)
{
    if (request.images.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("save: no image was named"));
    PH_TRY(const archive::SaveFormat format, archive::saveFormatFromName(request.format));
    const bool toFile = !request.outputPath.isEmpty() && request.outputPath != QLatin1String("-");
    if (!toFile && request.outputFd < 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("save: no output file or descriptor was given"));
    // Held to the end: garbage collection must not take a blob being saved.
    PH_TRY(store::FileLock lock, m_store->useLock());
    PH_TRY(const QList<archive::SaveItem> items, itemsFor(*m_store, request.images));
    if (!toFile) {
        FdSink sink(request.outputFd, QStringLiteral("standard output"));
        PH_TRY(const archive::SaveStats stats,
               archive::writeImageArchive(*m_store, items, format, sink, cancel, progress, QStringLiteral("-")));
        PH_CHECK(sink.finish());
        return SaveOutcome{stats.bytes, stats.images};
    }
    store::OutputFile out;
    PH_CHECK(out.open(request.outputPath, QStringLiteral("save to %1").arg(request.outputPath)));
    FdSink sink(out.fd(), request.outputPath, true);
    PH_TRY(const archive::SaveStats stats,
           archive::writeImageArchive(*m_store, items, format, sink, cancel, progress, request.outputPath));
    PH_CHECK(sink.finish());
    PH_CHECK(out.commit());
    return SaveOutcome{stats.bytes, stats.images};
}

} // namespace porthole::service
