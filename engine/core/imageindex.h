// An image index: OCI image index v1 or Docker manifest list v2 (the two are
// field-compatible). Also the shape of an OCI layout's index.json. Plain
// value type; any thread.
//
// Unknown keys (subject, artifactType, ...) are kept in `unknown`, and each
// entry keeps its own unknown keys, so a rewrite loses nothing. See
// manifest.h for why a parsed document is never re-serialised to digest it.
#pragma once

#include "core/descriptor.h"
#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace porthole {

struct ImageIndex {
    int schemaVersion = 2;
    QString mediaType; // empty if the document omits it (OCI layouts often do)
    QList<Descriptor> manifests;
    QMap<QString, QString> annotations;
    QJsonObject unknown;

    // Refuses: non-objects, schemaVersion other than 2, manifest media types,
    // a missing "manifests" array and invalid entries ("manifests[0].size").
    static Result<ImageIndex> parse(const QByteArray &json);
    static Result<ImageIndex> fromJson(const QJsonObject &object);

    QJsonObject toJsonObject() const;
    // Compact, key-sorted JSON.
    QByteArray toJson() const;

    bool isDocker() const;

    friend bool operator==(const ImageIndex &, const ImageIndex &) = default;
};

} // namespace porthole
