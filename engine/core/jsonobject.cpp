#include "core/jsonobject.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include <cmath>

namespace porthole::json {

QString fieldPath(const QString &parent, QStringView key)
{
    return parent.isEmpty() ? key.toString() : parent + u'.' + key.toString();
}

QString indexPath(const QString &parent, qsizetype index)
{
    return QStringLiteral("%1[%2]").arg(parent).arg(index);
}

Error fieldError(const QString &path, const QString &problem)
{
    return Error(ErrorCode::InvalidArgument, QStringLiteral("field \"%1\" %2").arg(path, problem));
}

static QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("missing");
}

static Error wrongType(const QString &path, const QString &expected, const QJsonValue &v)
{
    return fieldError(path, QStringLiteral("must be %1, not %2").arg(expected, typeName(v)));
}

// Absent and null are the same to Go's encoding/json, so they are to us.
static bool isAbsent(const QJsonValue &v)
{
    return v.isUndefined() || v.isNull();
}

Result<QJsonObject> parseObject(const QByteArray &bytes, const QString &what)
{
    if (bytes.trimmed().isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("parse %1: the document is empty").arg(what));
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    if (err.error != QJsonParseError::NoError)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("parse %1: not valid JSON: %2 at offset %3")
                                                     .arg(what, err.errorString())
                                                     .arg(err.offset));
    if (!doc.isObject())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("parse %1: the document is %2, not a JSON object")
                         .arg(what, doc.isArray() ? QStringLiteral("an array") : QStringLiteral("a scalar")));
    return doc.object();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Result<QString> readString(const QJsonObject &o, QStringView key, const QString &parent, bool required)
{
    const QJsonValue v = o.value(key);
    if (isAbsent(v)) {
        if (required)
            return fieldError(fieldPath(parent, key), QStringLiteral("is required"));
        return QString();
    }
    if (!v.isString())
        return wrongType(fieldPath(parent, key), QStringLiteral("a string"), v);
    return v.toString();
}

Result<qint64> readCount(const QJsonObject &o, QStringView key, const QString &parent, bool required)
{
    const QJsonValue v = o.value(key);
    if (isAbsent(v)) {
        if (required)
            return fieldError(fieldPath(parent, key), QStringLiteral("is required"));
        return qint64(0);
    }
    if (!v.isDouble())
        return wrongType(fieldPath(parent, key), QStringLiteral("an integer"), v);
    if (v.toDouble() < 0)
        return fieldError(fieldPath(parent, key), QStringLiteral("must not be negative (got %1)").arg(v.toDouble()));
    // toInteger() refuses fractions and values beyond qint64; a parsed integer
    // keeps its full 64-bit precision in Qt 6.
    const qint64 n = v.toInteger(-1);
    if (n < 0)
        return fieldError(fieldPath(parent, key), QStringLiteral("must be a whole number (got %1)").arg(v.toDouble()));
    return n;
}

Result<bool> readBool(const QJsonObject &o, QStringView key, const QString &parent)
{
    const QJsonValue v = o.value(key);
    if (isAbsent(v))
        return false;
    if (!v.isBool())
        return wrongType(fieldPath(parent, key), QStringLiteral("a boolean"), v);
    return v.toBool();
}

Result<Digest> readDigest(const QJsonObject &o, QStringView key, const QString &parent, bool required)
{
    PH_TRY(const QString text, readString(o, key, parent, required));
    if (text.isEmpty() && !required)
        return Digest();
    auto d = Digest::parse(text);
    if (!d)
        return fieldError(fieldPath(parent, key), QStringLiteral("is not valid: %1").arg(d.error().message));
    return *d;
}

Result<QStringList> readStringList(const QJsonObject &o, QStringView key, const QString &parent, bool acceptString)
{
    const QJsonValue v = o.value(key);
    if (isAbsent(v))
        return QStringList();
    if (acceptString && v.isString())
        return QStringList{v.toString()};
    if (!v.isArray())
        return wrongType(fieldPath(parent, key), QStringLiteral("an array of strings"), v);
    const QJsonArray a = v.toArray();
    QStringList out;
    out.reserve(a.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!a.at(i).isString())
            return wrongType(indexPath(fieldPath(parent, key), i), QStringLiteral("a string"), a.at(i));
        out.append(a.at(i).toString());
    }
    return out;
}

Result<QMap<QString, QString>> readStringMap(const QJsonObject &o, QStringView key, const QString &parent)
{
    const QJsonValue v = o.value(key);
    QMap<QString, QString> out;
    if (isAbsent(v))
        return out;
    if (!v.isObject())
        return wrongType(fieldPath(parent, key), QStringLiteral("an object of strings"), v);
    const QJsonObject m = v.toObject();
    for (auto it = m.begin(); it != m.end(); ++it) {
        if (!it.value().isString())
            return wrongType(fieldPath(fieldPath(parent, key), it.key()), QStringLiteral("a string"), it.value());
        out.insert(it.key(), it.value().toString());
    }
    return out;
}

Result<QJsonObject> readObject(const QJsonObject &o, QStringView key, const QString &parent, bool required)
{
    const QJsonValue v = o.value(key);
    if (isAbsent(v)) {
        if (required)
            return fieldError(fieldPath(parent, key), QStringLiteral("is required"));
        return QJsonObject();
    }
    if (!v.isObject())
        return wrongType(fieldPath(parent, key), QStringLiteral("an object"), v);
    return v.toObject();
}

Result<QJsonArray> readArray(const QJsonObject &o, QStringView key, const QString &parent, bool required)
{
    const QJsonValue v = o.value(key);
    if (isAbsent(v)) {
        if (required)
            return fieldError(fieldPath(parent, key), QStringLiteral("is required"));
        return QJsonArray();
    }
    if (!v.isArray())
        return wrongType(fieldPath(parent, key), QStringLiteral("an array"), v);
    return v.toArray();
}

QString valueText(const QJsonValue &v)
{
    const QByteArray text = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

Status checkSchemaVersion2(const QJsonObject &o, const QString &what)
{
    const QJsonValue v = o.value(u"schemaVersion");
    if (isAbsent(v))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("parse %1: field \"schemaVersion\" is required").arg(what));
    if (v.isDouble() && v.toDouble() == 1)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("parse %1: schema 1 manifests are not supported (schemaVersion 1); "
                                    "the image must be pushed again with a current client")
                         .arg(what));
    if (!v.isDouble() || v.toDouble() != 2)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("parse %1: field \"schemaVersion\" must be 2, not %2").arg(what, valueText(v)));
    return {};
}

QJsonArray fromStringList(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList toStringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out.append(s.toString());
    return out;
}

QJsonObject fromStringMap(const QMap<QString, QString> &map)
{
    QJsonObject o;
    for (auto it = map.begin(); it != map.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonObject without(QJsonObject o, std::initializer_list<QLatin1StringView> keys)
{
    for (QLatin1StringView k : keys)
        o.remove(k);
    return o;
}

} // namespace porthole::json
