#include "archive/demoimage.h"

#include "core/reference.h"
#include "store/fsutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <archive.h>
#include <archive_entry.h>

#include <elf.h>
#include <memory>

static void initDemoResources() { Q_INIT_RESOURCE(demo); }

namespace porthole::archive {

namespace {

// A fixed time for every entry, so the same busybox gives the same layer.
constexpr time_t kDemoMtime = 1704067200; // 2024-01-01T00:00:00Z

Result<QJsonObject> readRecipe()
{
    initDemoResources();
    QFile f(QStringLiteral(":/demo/recipe.json"));
    if (!f.open(QIODevice::ReadOnly))
        return Error(ErrorCode::Internal, QStringLiteral("demo image: the built-in recipe is missing"));
    return QJsonDocument::fromJson(f.readAll()).object();
}

// A dynamically linked busybox would not run in an image without its
// libraries: only Debian's busybox-static will do.
Status checkStatic(const QByteArray &elf, const QString &path)
{
    const auto fail = [&](const QString &why) {
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("demo image: %1 %2; install Debian's busybox-static").arg(path, why));
    };
    if (elf.size() < qsizetype(sizeof(Elf64_Ehdr)) || !elf.startsWith(ELFMAG))
        return fail(QStringLiteral("is not an ELF executable"));
    Elf64_Ehdr eh;
    memcpy(&eh, elf.constData(), sizeof eh);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64)
        return {}; // 32-bit hosts: trust it
    for (int i = 0; i < eh.e_phnum; ++i) {
        const qsizetype off = qsizetype(eh.e_phoff) + qsizetype(i) * eh.e_phentsize;
        if (off + qsizetype(sizeof(Elf64_Phdr)) > elf.size())
            break;
        Elf64_Phdr ph;
        memcpy(&ph, elf.constData() + off, sizeof ph);
        if (ph.p_type == PT_INTERP)
            return fail(QStringLiteral("is dynamically linked"));
    }
    return {};
}

struct ArchiveDeleter {
    void operator()(struct archive *a) const { archive_write_free(a); }
};

la_ssize_t appendToArray(struct archive *, void *data, const void *buf, size_t len)
{
    static_cast<QByteArray *>(data)->append(static_cast<const char *>(buf), qsizetype(len));
    return la_ssize_t(len);
}

class TarBuilder {
public:
    TarBuilder() : m_a(archive_write_new())
    {
        archive_write_set_format_pax_restricted(m_a.get());
        archive_write_set_bytes_in_last_block(m_a.get(), 1);
        archive_write_open(m_a.get(), &m_out, nullptr, appendToArray, nullptr);
    }

    Status add(const QString &path, mode_t type, int perm, const QByteArray &data = {}, const QString &linkTarget = {})
    {
        std::unique_ptr<archive_entry, void (*)(archive_entry *)> e(archive_entry_new(), archive_entry_free);
        const QByteArray name = path.toUtf8();
        archive_entry_set_pathname(e.get(), name.constData());
        archive_entry_set_filetype(e.get(), type);
        archive_entry_set_perm(e.get(), mode_t(perm));
        archive_entry_set_uid(e.get(), 0);
        archive_entry_set_gid(e.get(), 0);
        archive_entry_set_mtime(e.get(), kDemoMtime, 0);
        const QByteArray target = linkTarget.toUtf8();
        if (type == AE_IFLNK)
            archive_entry_set_symlink(e.get(), target.constData());
        archive_entry_set_size(e.get(), type == AE_IFREG ? data.size() : 0);
        if (archive_write_header(m_a.get(), e.get()) != ARCHIVE_OK)
            return error(path);
        if (type == AE_IFREG && archive_write_data(m_a.get(), data.constData(), size_t(data.size())) != data.size())
            return error(path);
        return {};
    }

    Result<QByteArray> finish()
    {
        if (archive_write_close(m_a.get()) != ARCHIVE_OK)
            return error(QStringLiteral("end of archive"));
        return m_out;
    }

private:
    Error error(const QString &what)
    {
        return Error(ErrorCode::Internal, QStringLiteral("demo image: write %1: %2")
                                              .arg(what, QString::fromUtf8(archive_error_string(m_a.get()))));
    }

    QByteArray m_out;
    std::unique_ptr<struct archive, ArchiveDeleter> m_a;
};

QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out.append(s.toString());
    return out;
}

} // namespace

Result<QByteArray> buildDemoRootfs(const QString &busyboxPath)
{
    PH_TRY(const QJsonObject recipe, readRecipe());
    QString busybox = busyboxPath;
    if (busybox.isEmpty())
        busybox = qEnvironmentVariable("PORTHOLE_BUSYBOX", recipe.value(QStringLiteral("busybox")).toString());
    auto binary = store::readFile(busybox, 64 << 20);
    if (!binary)
        return Error(binary.error().code, QStringLiteral("demo image: cannot read busybox at %1 (%2); install Debian's busybox-static")
                                              .arg(busybox, binary.error().message));
    PH_CHECK(checkStatic(*binary, busybox));

    TarBuilder tar;
    const QJsonObject dirs = recipe.value(QStringLiteral("directories")).toObject();
    for (auto it = dirs.begin(); it != dirs.end(); ++it) // QJsonObject iterates sorted: parents first
        PH_CHECK(tar.add(it.key(), AE_IFDIR, it.value().toString().toInt(nullptr, 8)));
    PH_CHECK(tar.add(QStringLiteral("bin/busybox"), AE_IFREG, 0755, *binary));
    for (const QString &applet : stringList(recipe.value(QStringLiteral("applets"))))
        PH_CHECK(tar.add(QStringLiteral("bin/") + applet, AE_IFLNK, 0777, {}, QStringLiteral("busybox")));
    const QJsonObject files = recipe.value(QStringLiteral("files")).toObject();
    for (auto it = files.begin(); it != files.end(); ++it)
        PH_CHECK(tar.add(it.key(), AE_IFREG, 0644, it.value().toString().toUtf8()));
    return tar.finish();
}

Result<ImportedImage> createDemoImage(store::Store &store, decltype(ImportOptions::beforeTag) beforeTag)
{
    PH_TRY(const QJsonObject recipe, readRecipe());
    PH_TRY(const QByteArray rootfs, buildDemoRootfs());
    ImportOptions options;
    options.beforeTag = std::move(beforeTag);
    PH_TRY(const Reference ref, Reference::parse(recipe.value(QStringLiteral("reference")).toString()));
    options.refName = ref.withDefaultTag().toString();
    const QByteArray cmd = QJsonDocument(recipe.value(QStringLiteral("cmd")).toArray()).toJson(QJsonDocument::Compact);
    for (const QString &e : stringList(recipe.value(QStringLiteral("env"))))
        options.changes.append(QStringLiteral("ENV ") + e);
    options.changes.append(QStringLiteral("CMD ") + QString::fromUtf8(cmd));
    options.comment = QStringLiteral("Porthole demo image: busybox from %1").arg(recipe.value(QStringLiteral("busybox")).toString());
    options.progressId = QStringLiteral("demo");
    MemorySource source(rootfs);
    return importRootfs(store, source, options);
}

} // namespace porthole::archive
