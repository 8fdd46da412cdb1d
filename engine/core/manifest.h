// An image manifest: OCI image manifest v1 or Docker image manifest v2
// schema 2 (the two are field-compatible). Plain value type; any thread.
//
// Keys this type does not model (subject, artifactType, anything newer) are
// kept in `unknown` and written back by toJson(), so reading, editing and
// rewriting a manifest never loses them.
//
// toJson() sorts keys, so it is deterministic but not byte-identical to what
// a registry served: a manifest's digest is always computed over the bytes as
// received or as last written, never over a re-serialisation of a parsed one.
#pragma once

#include "core/descriptor.h"
#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace porthole {

struct Manifest {
    int schemaVersion = 2;
    QString mediaType; // empty if the document omits it (allowed by OCI)
    Descriptor config;
    QList<Descriptor> layers;
    QMap<QString, QString> annotations;
    QJsonObject unknown;

    // Refuses: non-objects, schemaVersion other than 2 (schema 1 by name),
    // index/list media types, a missing config or layers, and invalid
    // descriptors; messages name the field ("layers[1].digest").
    static Result<Manifest> parse(const QByteArray &json);
    static Result<Manifest> fromJson(const QJsonObject &object);

    QJsonObject toJsonObject() const;
    // Compact, key-sorted JSON.
    QByteArray toJson() const;

    // True when mediaType is Docker schema 2 (layers then use docker types).
    bool isDocker() const;

    friend bool operator==(const Manifest &, const Manifest &) = default;
};

} // namespace porthole
