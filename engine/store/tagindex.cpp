#include "store/tagindex.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace porthole::store {

static const QString kAnnotations = QStringLiteral("annotations");

Digest IndexEntry::digest() const
{
    return Digest::parse(descriptor.value(QStringLiteral("digest")).toString()).valueOr(Digest());
}

QString IndexEntry::mediaType() const { return descriptor.value(QStringLiteral("mediaType")).toString(); }

qint64 IndexEntry::size() const { return qint64(descriptor.value(QStringLiteral("size")).toDouble()); }

QString IndexEntry::refName() const
{
    return descriptor.value(kAnnotations).toObject().value(QLatin1String(kRefNameAnnotation)).toString();
}

TagIndex TagIndex::empty()
{
    TagIndex index;
    index.m_document.insert(QStringLiteral("schemaVersion"), 2);
    index.m_document.insert(QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.index.v1+json"));
    return index;
}

Result<TagIndex> TagIndex::parse(const QByteArray &json)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return Error(ErrorCode::Io, QStringLiteral("read index.json: not a JSON object (%1)").arg(err.errorString()));
    TagIndex index;
    index.m_document = doc.object();
    // A missing list is an empty index; anything else in its place would be
    // lost by the next edit, so it is refused.
    const QJsonValue list = index.m_document.value(QStringLiteral("manifests"));
    if (!list.isUndefined() && !list.isArray())
        return Error(ErrorCode::Io, QStringLiteral("read index.json: \"manifests\" is not an array"));
    const QJsonArray manifests = list.toArray();
    for (const QJsonValue &v : manifests) {
        IndexEntry e{v.toObject()};
        if (!e.digest().isValid())
            return Error(ErrorCode::Io, QStringLiteral("read index.json: an entry has an invalid digest \"%1\"")
                                            .arg(e.descriptor.value(QStringLiteral("digest")).toString()));
        index.m_entries.append(e);
    }
    return index;
}

QByteArray TagIndex::toJson() const
{
    QJsonObject doc = m_document;
    QJsonArray manifests;
    for (const IndexEntry &e : m_entries)
        manifests.append(e.descriptor);
    doc.insert(QStringLiteral("manifests"), manifests);
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

std::optional<IndexEntry> TagIndex::findTag(const QString &refName) const
{
    for (const IndexEntry &e : m_entries) {
        if (e.refName() == refName)
            return e;
    }
    return std::nullopt;
}

QList<IndexEntry> TagIndex::entriesFor(const Digest &digest) const
{
    QList<IndexEntry> out;
    for (const IndexEntry &e : m_entries) {
        if (e.digest() == digest)
            out.append(e);
    }
    return out;
}

QList<QString> TagIndex::tagsFor(const Digest &digest) const
{
    QList<QString> out;
    for (const IndexEntry &e : m_entries) {
        if (e.digest() == digest && !e.refName().isEmpty())
            out.append(e.refName());
    }
    return out;
}

QStringList TagIndex::repoDigestsFor(const Digest &digest) const
{
    QStringList out;
    for (const IndexEntry &e : m_entries) {
        const QString rd = e.descriptor.value(kAnnotations).toObject().value(QLatin1String(kRepoDigestAnnotation)).toString();
        if (e.digest() == digest && !rd.isEmpty() && !out.contains(rd))
            out.append(rd);
    }
    return out;
}

QSet<Digest> TagIndex::digests() const
{
    QSet<Digest> out;
    for (const IndexEntry &e : m_entries)
        out.insert(e.digest());
    return out;
}

static QJsonObject withRefName(QJsonObject descriptor, const QString &refName)
{
    QJsonObject annotations = descriptor.value(kAnnotations).toObject();
    if (refName.isEmpty())
        annotations.remove(QLatin1String(kRefNameAnnotation));
    else
        annotations.insert(QLatin1String(kRefNameAnnotation), refName);
    if (annotations.isEmpty())
        descriptor.remove(kAnnotations);
    else
        descriptor.insert(kAnnotations, annotations);
    return descriptor;
}

void TagIndex::setTag(const QString &refName, QJsonObject descriptor)
{
    descriptor = withRefName(std::move(descriptor), refName);
    const Digest target = IndexEntry{descriptor}.digest();
    removeTag(refName, true);
    // The image now has a name: its untagged entry, if any, goes.
    m_entries.removeIf([&](const IndexEntry &e) { return e.digest() == target && e.refName().isEmpty(); });
    m_entries.append(IndexEntry{descriptor});
}

bool TagIndex::removeTag(const QString &refName, bool keepUntagged)
{
    // Another tool may have left the name on several entries: all of them go,
    // or the name would still resolve to an image it no longer means.
    QList<IndexEntry> removed;
    for (qsizetype i = 0; i < m_entries.size();) {
        if (m_entries[i].refName() == refName)
            removed.append(m_entries.takeAt(i));
        else
            ++i;
    }
    if (keepUntagged) {
        for (const IndexEntry &e : removed) {
            if (!contains(e.digest()))
                m_entries.append(IndexEntry{withRefName(e.descriptor, QString())});
        }
    }
    return !removed.isEmpty();
}

void TagIndex::addUntagged(QJsonObject descriptor)
{
    IndexEntry e{withRefName(std::move(descriptor), QString())};
    if (!contains(e.digest()))
        m_entries.append(e);
}

void TagIndex::removeImage(const Digest &digest)
{
    m_entries.removeIf([&](const IndexEntry &e) { return e.digest() == digest; });
}

} // namespace porthole::store
