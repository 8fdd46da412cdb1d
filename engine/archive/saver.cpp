// Writing a saved archive: the members saveplan.cpp chose, in order, each
// byte checked against the digest and size its entry promised.
#include "archive/saver.h"

#include "archive/saveplan.h"
#include "layer/decompresssource.h"

#include <archive.h>
#include <archive_entry.h>

#include <QFile>
#include <QMap>

#include <fcntl.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace porthole::archive {

namespace {

using namespace saveplan;

constexpr qint64 kChunk = 1 << 20;

// The outer tar, through libarchive (pax where ustar cannot hold a size or
// name, ustar otherwise, as Go's archive/tar writes). Unblocked: libarchive
// hands data straight to the sink, no copy and no padding to a record size.
class TarOut {
public:
    explicit TarOut(ByteSink &sink) : m_a(archive_write_new()), m_sink(sink) {}
    ~TarOut()
    {
        // Never close after a failure: libarchive would pad the cut entry
        // with zeros and end the archive, and a broken stream would look whole.
        if (!m_closed)
            archive_write_fail(m_a);
        archive_write_free(m_a);
    }
    TarOut(const TarOut &) = delete;
    TarOut &operator=(const TarOut &) = delete;

    Status open()
    {
        archive_write_set_format_pax_restricted(m_a);
        archive_write_set_bytes_per_block(m_a, 0);
        if (archive_write_open(m_a, this, nullptr, &TarOut::onWrite, nullptr) != ARCHIVE_OK)
            return fail(QStringLiteral("start the archive"));
        return {};
    }

    // Fixed owner, modes and a zero mtime: the same images make the same archive.
    Status begin(const QString &name, bool directory, qint64 size)
    {
        std::unique_ptr<archive_entry, void (*)(archive_entry *)> e(archive_entry_new(), archive_entry_free);
        archive_entry_copy_pathname(e.get(), QFile::encodeName(name).constData());
        archive_entry_set_filetype(e.get(), directory ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(e.get(), directory ? 0755 : 0644);
        archive_entry_set_size(e.get(), directory ? 0 : size);
        archive_entry_set_mtime(e.get(), 0, 0);
        const int r = archive_write_header(m_a, e.get());
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
            return fail(QStringLiteral("write the header of %1").arg(name));
        return {};
    }

    Status data(const char *buf, qint64 n)
    {
        if (archive_write_data(m_a, buf, size_t(n)) != n)
            return fail(QStringLiteral("write archive data"));
        return {};
    }

    Status close()
    {
        if (archive_write_close(m_a) != ARCHIVE_OK)
            return fail(QStringLiteral("end the archive"));
        m_closed = true;
        return {};
    }

    qint64 written() const { return m_written; }

private:
    static la_ssize_t onWrite(struct archive *, void *self, const void *buf, size_t len)
    {
        auto *t = static_cast<TarOut *>(self);
        if (Status s = t->m_sink.write(static_cast<const char *>(buf), qint64(len)); !s) {
            t->m_sinkError = s.error();
            return -1;
        }
        t->m_written += qint64(len);
        return la_ssize_t(len);
    }

    Error fail(const QString &what)
    {
        if (m_sinkError)
            return *m_sinkError;
        return Error(ErrorCode::Io, QStringLiteral("%1: %2").arg(what, QString::fromUtf8(archive_error_string(m_a))));
    }

    struct archive *m_a;
    ByteSink &m_sink;
    std::optional<Error> m_sinkError;
    qint64 m_written = 0;
    bool m_closed = false;
};

// Reads the inner source (a decompressor, a file) on a thread of its own, a
// few chunks ahead: inflating one chunk overlaps hashing and writing the one
// before, and on a busy machine the save gets two threads' share of the CPU.
// The inner source is the thread's until the Prefetcher is destroyed.
class Prefetcher {
public:
    explicit Prefetcher(ByteSource &inner) : m_inner(inner)
    {
        for (QByteArray &slot : m_slots)
            slot.resize(kChunk);
        m_thread = std::thread([this] { run(); });
    }
    ~Prefetcher()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }

    // The next chunk, valid until the next call; empty at the end.
    Result<QByteArrayView> next()
    {
        std::unique_lock lock(m_mutex);
        if (m_holding) { // the caller is done with the chunk it had
            m_holding = false;
            m_head = (m_head + 1) % kSlots;
            --m_filled;
            m_changed.notify_all();
        }
        m_changed.wait(lock, [this] { return m_filled > 0 || m_done; });
        if (m_filled > 0) {
            m_holding = true;
            return QByteArrayView(m_slots[m_head].constData(), m_sizes[m_head]);
        }
        if (m_error)
            return *m_error;
        return QByteArrayView();
    }

private:
    void run()
    {
        for (int slot = 0;; slot = (slot + 1) % kSlots) {
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [this] { return m_stop || m_filled < kSlots; });
                if (m_stop)
                    return;
            }
            qint64 got = 0;
            std::optional<Error> error;
            while (got < kChunk) { // whole chunks: fewer hand-overs
                auto n = m_inner.read(m_slots[slot].data() + got, kChunk - got);
                if (!n)
                    error = n.error();
                if (!n || *n == 0)
                    break;
                got += *n;
            }
            std::lock_guard lock(m_mutex);
            if (got > 0) {
                m_sizes[slot] = got;
                ++m_filled;
            }
            m_done = error || got < kChunk;
            m_error = error;
            m_changed.notify_all();
            if (m_done)
                return;
        }
    }

    static constexpr int kSlots = 4;
    ByteSource &m_inner;
    QByteArray m_slots[kSlots];
    qint64 m_sizes[kSlots] = {};
    int m_head = 0;   // the oldest filled slot
    int m_filled = 0; // filled slots, the one the caller holds included
    bool m_holding = false;
    bool m_done = false;
    bool m_stop = false;
    std::optional<Error> m_error;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::thread m_thread;
};

// Writes the members in order, checking each byte against the digest and
// size its entry promised.
class ArchiveWriter {
public:
    ArchiveWriter(store::Store &store, ByteSink &sink, const CancelToken &cancel, const ProgressSink &progress,
                  QString progressId, qint64 total)
        : m_store(store), m_tar(sink), m_cancel(cancel), m_progress(progress), m_id(std::move(progressId)), m_total(total) {}

    Result<qint64> write(const QMap<QString, Entry> &entries)
    {
        PH_CHECK(m_tar.open());
        for (auto it = entries.constBegin(); it != entries.constEnd(); ++it) {
            PH_CHECK(m_cancel.check(QStringLiteral("save")));
            const Entry &e = it.value();
            PH_CHECK(m_tar.begin(it.key(), e.kind == Entry::Directory, e.size));
            if (e.kind == Entry::Bytes)
                PH_CHECK(m_tar.data(e.bytes.constData(), e.bytes.size()));
            else if (e.kind != Entry::Directory)
                PH_CHECK(copyStored(it.key(), e));
        }
        PH_CHECK(m_tar.close());
        report(m_progress, {m_id, QStringLiteral("Done"), m_tar.written(), m_tar.written()});
        return m_tar.written();
    }

private:
    Status copyStored(const QString &name, const Entry &e)
    {
        const QString step = e.kind == Entry::LayerTar
            ? QStringLiteral("save layer %1 (blob %2)").arg(e.expected.toString(), e.blob.toString())
            : QStringLiteral("save blob %1").arg(e.blob.toString());
        PH_TRY(auto file, m_store.content().open(e.blob));
        ::posix_fadvise(file->fd(), 0, 0, POSIX_FADV_SEQUENTIAL);
        layer::DecompressSource tar(*file, e.compression); // None passes the blob through
        Prefetcher chunks(e.kind == Entry::LayerTar ? static_cast<ByteSource &>(tar) : *file);
        Sha256 hash;
        qint64 done = 0;
        for (;;) {
            PH_CHECK(m_cancel.check(step));
            auto chunk = chunks.next();
            if (!chunk)
                return chunk.error().context(step);
            if (chunk->isEmpty())
                break;
            if (done + chunk->size() > e.size)
                return Error(ErrorCode::FailedPrecondition,
                             QStringLiteral("%1: it is larger than the %2 bytes recorded for it").arg(step).arg(e.size));
            hash.update(*chunk);
            if (auto st = m_tar.data(chunk->data(), chunk->size()); !st)
                return st.error().context(QStringLiteral("%1: write %2").arg(step, name));
            done += chunk->size();
            report(m_progress, {m_id, QStringLiteral("Saving"), m_tar.written(), m_total});
        }
        if (done != e.size)
            return Error(ErrorCode::FailedPrecondition,
                         QStringLiteral("%1: it has %2 bytes, but %3 were recorded for it").arg(step).arg(done).arg(e.size));
        if (const Digest got = hash.finish(); got != e.expected)
            return Error(ErrorCode::FailedPrecondition, QStringLiteral("%1: its content hashes to %2, not %3: the store's copy is damaged")
                                                            .arg(step, got.toString(), e.expected.toString()));
        return {};
    }

    store::Store &m_store;
    TarOut m_tar;
    const CancelToken &m_cancel;
    const ProgressSink &m_progress;
    QString m_id;
    qint64 m_total;
};

qint64 estimatedSize(const QMap<QString, Entry> &entries)
{
    qint64 total = 1024; // the end-of-archive marker
    for (const Entry &e : entries)
        total += 512 + (e.size + 511) / 512 * 512;
    return total;
}

} // namespace

Result<SaveFormat> saveFormatFromName(QStringView name)
{
    if (name == u"docker-archive")
        return SaveFormat::DockerArchive;
    if (name == u"oci-archive")
        return SaveFormat::OciArchive;
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("unsupported save format \"%1\" (docker-archive or oci-archive)").arg(name));
}

Result<SaveStats> writeImageArchive(store::Store &store, const QList<SaveItem> &items, SaveFormat format, ByteSink &sink,
                                    const CancelToken &cancel, const ProgressSink &progress, const QString &progressId)
{
    Plan plan(store, cancel, progress);
    plan.entries.insert(QStringLiteral("blobs/"), Entry{Entry::Directory, 0, {}, {}, {}, {}});
    plan.entries.insert(QStringLiteral("blobs/sha256/"), Entry{Entry::Directory, 0, {}, {}, {}, {}});
    plan.addBytes(QStringLiteral("oci-layout"), R"({"imageLayoutVersion":"1.0.0"})");
    if (auto st = format == SaveFormat::DockerArchive ? planDockerArchive(plan, items) : planOciArchive(plan, store, items); !st)
        return st.error().context(QStringLiteral("save"));
    ArchiveWriter writer(store, sink, cancel, progress, progressId, estimatedSize(plan.entries));
    PH_TRY(const qint64 bytes, writer.write(plan.entries));
    int blobs = 0;
    for (auto it = plan.entries.constBegin(); it != plan.entries.constEnd(); ++it)
        blobs += it.value().kind != Entry::Directory && it.key().startsWith(QLatin1String("blobs/"));
    return SaveStats{bytes, int(items.size()), blobs};
}

} // namespace porthole::archive
