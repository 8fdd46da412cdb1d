// index.json of the OCI image layout, as Porthole uses it: every image is one
// or more manifest descriptors in "manifests"; a tagged one carries the full
// normalized reference in org.opencontainers.image.ref.name (so skopeo finds
// it as oci:<root>:<reference>), an untagged ("dangling") one carries none.
// Entries and fields Porthole does not know (another tool's) are kept.
// A value type; the Store serializes edits with a lock.
#pragma once

#include "core/digest.h"
#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QSet>

#include <optional>

namespace porthole::store {

inline constexpr const char *kRefNameAnnotation = "org.opencontainers.image.ref.name";
// "name@sha256:…" an image was pulled as: docker's RepoDigests.
inline constexpr const char *kRepoDigestAnnotation = "io.porthole.image.repo-digest";

struct IndexEntry {
    QJsonObject descriptor;

    Digest digest() const;
    QString mediaType() const;
    qint64 size() const;
    // The full normalized reference, or empty for an untagged image.
    QString refName() const;
};

class TagIndex {
public:
    static TagIndex empty();
    static Result<TagIndex> parse(const QByteArray &json);
    QByteArray toJson() const;

    const QList<IndexEntry> &entries() const { return m_entries; }
    std::optional<IndexEntry> findTag(const QString &refName) const;
    QList<IndexEntry> entriesFor(const Digest &digest) const;
    QList<QString> tagsFor(const Digest &digest) const;
    // The distinct repo digests recorded on the image's entries.
    QStringList repoDigestsFor(const Digest &digest) const;
    QSet<Digest> digests() const;
    bool contains(const Digest &digest) const { return !entriesFor(digest).isEmpty(); }

    // Points refName at the manifest `descriptor` (mediaType, digest, size).
    // The image that had the name, if it has no other, stays as untagged.
    void setTag(const QString &refName, QJsonObject descriptor);
    // Removes the name (from every entry carrying it). With keepUntagged, an
    // image that loses its last name stays as an untagged entry; otherwise it
    // leaves the index. Returns false if no entry had the name.
    bool removeTag(const QString &refName, bool keepUntagged);
    // Adds an image without a name unless it already has an entry.
    void addUntagged(QJsonObject descriptor);
    // Removes every entry of the image.
    void removeImage(const Digest &digest);

private:
    QJsonObject m_document;
    QList<IndexEntry> m_entries;
};

} // namespace porthole::store
