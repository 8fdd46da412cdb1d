// Images as the user sees them, on top of the tag index and the blobs: load
// an image's manifest and config, list them, and resolve what a user typed
// (a name, name@digest, or an ID prefix) the way docker does.
// Works on a Store it does not own; same threading as Store.
#pragma once

#include "core/imageconfig.h"
#include "core/manifest.h"
#include "core/reference.h"
#include "store/store.h"

#include <QList>
#include <QStringList>

namespace porthole::store {

struct StoredImage {
    Descriptor descriptor;  // the manifest, as the index entry describes it
    Manifest manifest;      // for a manifest list: the entry for this machine
    Descriptor manifestDescriptor; // that manifest's own descriptor (== descriptor unless a list)
    Digest configDigest;    // the image ID
    ImageConfig config;
    QStringList refNames;   // full normalized names pointing at it
    QStringList repoDigests; // "name@sha256:…" it was pulled as

    QString shortId() const { return configDigest.shortHex(); }
};

struct ResolvedImage {
    StoredImage image;
    QString matchedRefName; // set when the user named a tag; empty for an ID
};

class ImageStore {
public:
    explicit ImageStore(Store &store) : m_store(store) {}

    // Every image once (grouped by manifest digest), with all its names.
    Result<QList<StoredImage>> list() const;
    Result<StoredImage> load(const Descriptor &manifestDescriptor, const QStringList &refNames = {}) const;

    // "ubuntu", "ubuntu:22.04", "localhost/x@sha256:…", "sha256:ab12", "ab12".
    // NotFound reads "No such image: <name>"; an ambiguous ID prefix is
    // InvalidArgument naming the candidates.
    Result<ResolvedImage> resolve(const QString &nameOrId) const;

    // Bytes of file content in the image's layers (docker's SIZE).
    qint64 size(const StoredImage &image) const;
    // The same per layer, in manifest order.
    QList<qint64> layerSizes(const StoredImage &image) const;

private:
    Result<QList<StoredImage>> imagesWithConfigPrefix(const QString &hexPrefix) const;
    Store &m_store;
};

// This machine's architecture in Go's GOARCH names ("amd64", "arm64",
// "ppc64le"), as image configs and manifest lists spell it.
QString hostArchitecture();

} // namespace porthole::store
