// Typed, path-aware reading of QJsonObject fields for the image JSON types
// (descriptor, manifest, index, config). Free functions, no state, any thread.
//
// Readers are lenient about absence and strict about type: a missing key or
// a JSON null (Go writes null for empty slices and maps) yields the empty
// value, a value of the wrong type yields InvalidArgument naming the field
// path ("layers[2].digest"), so a user can find the offending spot.
#pragma once

#include "core/digest.h"
#include "core/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <initializer_list>

namespace porthole::json {

// "parent.key" (or "key" at the top level).
QString fieldPath(const QString &parent, QStringView key);
// "parent[index]".
QString indexPath(const QString &parent, qsizetype index);

// An InvalidArgument error: "field \"path\" <problem>".
Error fieldError(const QString &path, const QString &problem);

// Parses a whole document that must be a JSON object; `what` names the
// document in the message ("image manifest").
Result<QJsonObject> parseObject(const QByteArray &bytes, const QString &what);
// Compact, key-sorted serialisation: equal objects give equal bytes.
QByteArray compact(const QJsonObject &object);

// `required` turns absence (or null) into an error.
Result<QString> readString(const QJsonObject &o, QStringView key, const QString &parent, bool required = false);
// A JSON integer >= 0 (sizes, schemaVersion); fractions and negatives are errors.
Result<qint64> readCount(const QJsonObject &o, QStringView key, const QString &parent, bool required = false);
Result<bool> readBool(const QJsonObject &o, QStringView key, const QString &parent);
// Strict "sha256:<64 hex>".
Result<Digest> readDigest(const QJsonObject &o, QStringView key, const QString &parent, bool required = false);
// An array of strings. With `acceptString`, a lone string reads as a one-element
// list (Go's strslice accepts both for Cmd and Entrypoint).
Result<QStringList> readStringList(const QJsonObject &o, QStringView key, const QString &parent,
                                   bool acceptString = false);
// An object whose values are all strings (annotations, labels).
Result<QMap<QString, QString>> readStringMap(const QJsonObject &o, QStringView key, const QString &parent);
Result<QJsonObject> readObject(const QJsonObject &o, QStringView key, const QString &parent, bool required = false);
Result<QJsonArray> readArray(const QJsonObject &o, QStringView key, const QString &parent, bool required = false);

// The value as compact JSON text, for messages ("2.5", "\"x\"", "null").
QString valueText(const QJsonValue &v);
// Manifests and indexes carry "schemaVersion": 2; anything else (schema 1 in
// particular) is refused with a message naming the document `what`.
Status checkSchemaVersion2(const QJsonObject &o, const QString &what);

QJsonArray fromStringList(const QStringList &list);
// The strings of an array, leniently: for Porthole's own files (config.json),
// where a missing key or a non-string entry reads as nothing.
QStringList toStringList(const QJsonValue &v);
QJsonObject fromStringMap(const QMap<QString, QString> &map);

// A copy of `o` without `keys`: what is left is the "unknown" part a type keeps
// verbatim so rewriting a document never drops fields it does not model.
QJsonObject without(QJsonObject o, std::initializer_list<QLatin1StringView> keys);

} // namespace porthole::json
