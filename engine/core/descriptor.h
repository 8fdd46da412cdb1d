// OCI content descriptor (also Docker schema 2's): what a manifest or index
// says about one blob. Plain value types; any thread.
//
// Fields the spec may grow (data, artifactType, ...) or that we do not model
// live in `unknown` and are written back unchanged by toJson().
#pragma once

#include "core/digest.h"
#include "core/result.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace porthole {

// The platform an index entry is for.
struct Platform {
    QString os;
    QString architecture;
    QString variant;
    QString osVersion;      // "os.version"
    QStringList osFeatures; // "os.features"
    QJsonObject unknown;    // e.g. docker's legacy "features"

    // `path` prefixes field names in error messages ("manifests[1].platform").
    static Result<Platform> fromJson(const QJsonObject &object, const QString &path = QStringLiteral("platform"));
    QJsonObject toJson() const;

    friend bool operator==(const Platform &, const Platform &) = default;
};

struct Descriptor {
    QString mediaType;
    Digest digest;
    qint64 size = 0;
    QStringList urls;
    QMap<QString, QString> annotations;
    std::optional<Platform> platform;
    QJsonObject unknown;

    // Validates strictly: digest must be "sha256:<64 hex>", size an integer >= 0.
    // A missing mediaType is tolerated (readers of old OCI layouts need it);
    // callers that route by type check it themselves.
    static Result<Descriptor> fromJson(const QJsonObject &object, const QString &path = QStringLiteral("descriptor"));
    QJsonObject toJson() const;

    friend bool operator==(const Descriptor &, const Descriptor &) = default;
};

} // namespace porthole
