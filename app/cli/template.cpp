#include "cli/template.h"

#include <QJsonArray>

#include <cmath>

namespace porthole::cli {

namespace {

QString childPath(const QString &path, const QString &key) { return path.isEmpty() ? key : path + u'.' + key; }

// Struct fields in declaration order, then the keys the order does not know.
QStringList orderedKeys(const QJsonObject &object, const QString &path, const JsonFieldOrder &order)
{
    QStringList keys;
    if (order) {
        for (const QString &k : order(path)) {
            if (object.contains(k))
                keys.append(k);
        }
    }
    for (const QString &k : object.keys()) { // QJsonObject::keys() is sorted
        if (!keys.contains(k))
            keys.append(k);
    }
    return keys;
}

bool isStruct(const QString &path, const JsonFieldOrder &order) { return order && !order(path).isEmpty(); }

QString goNumber(double v)
{
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9007199254740992.0)
        return QString::number(qint64(v));
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

// encoding/json's string escaping with HTML escaping on (the default).
QString goQuoted(const QString &s)
{
    QString out;
    out.reserve(s.size() + 2);
    out += u'"';
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        switch (u) {
        case u'"': out += QLatin1String("\\\""); break;
        case u'\\': out += QLatin1String("\\\\"); break;
        case u'\n': out += QLatin1String("\\n"); break;
        case u'\r': out += QLatin1String("\\r"); break;
        case u'\t': out += QLatin1String("\\t"); break;
        case u'\b': out += QLatin1String("\\b"); break;
        case u'\f': out += QLatin1String("\\f"); break;
        default:
            if (u < 0x20 || u == u'<' || u == u'>' || u == u'&' || u == 0x2028 || u == 0x2029)
                out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += u'"';
    return out;
}

void writeJson(QString &out, const QJsonValue &v, bool indent, int depth, const QString &path, const JsonFieldOrder &order)
{
    const auto newline = [&](int level) {
        if (indent)
            out += u'\n' + QString(level * 4, u' ');
    };
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: out += QLatin1String("null"); return;
    case QJsonValue::Bool: out += v.toBool() ? QLatin1String("true") : QLatin1String("false"); return;
    case QJsonValue::Double: out += goNumber(v.toDouble()); return;
    case QJsonValue::String: out += goQuoted(v.toString()); return;
    case QJsonValue::Array: {
        const QJsonArray a = v.toArray();
        out += u'[';
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (i > 0)
                out += u',';
            newline(depth + 1);
            writeJson(out, a[i], indent, depth + 1, path, order);
        }
        if (!a.isEmpty())
            newline(depth);
        out += u']';
        return;
    }
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        const QStringList keys = orderedKeys(o, path, order);
        out += u'{';
        for (qsizetype i = 0; i < keys.size(); ++i) {
            if (i > 0)
                out += u',';
            newline(depth + 1);
            out += goQuoted(keys[i]) + (indent ? QLatin1String(": ") : QLatin1String(":"));
            writeJson(out, o.value(keys[i]), indent, depth + 1, childPath(path, keys[i]), order);
        }
        if (!keys.isEmpty())
            newline(depth);
        out += u'}';
        return;
    }
    }
}

// fmt's %v, which is what {{.Field}} prints: strings bare, slices "[a b]",
// maps "map[k:v]" (sorted), structs "{v1 v2}" in field order, nil "<nil>".
QString goPrint(const QJsonValue &v, const QString &path, const JsonFieldOrder &order)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: return QStringLiteral("<nil>");
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return goNumber(v.toDouble());
    case QJsonValue::String: return v.toString();
    case QJsonValue::Array: {
        QStringList items;
        for (const QJsonValue &item : v.toArray())
            items.append(goPrint(item, path, order));
        return u'[' + items.join(u' ') + u']';
    }
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        QStringList items;
        const bool structLike = isStruct(path, order);
        for (const QString &k : orderedKeys(o, path, order)) {
            const QString value = goPrint(o.value(k), childPath(path, k), order);
            items.append(structLike ? value : k + u':' + value);
        }
        return structLike ? u'{' + items.join(u' ') + u'}' : QStringLiteral("map[") + items.join(u' ') + u']';
    }
    }
    return {};
}

Result<QString> evalAction(const QString &action, const QJsonObject &root, const JsonFieldOrder &order)
{
    QStringList words = action.split(u' ', Qt::SkipEmptyParts);
    bool asJson = false;
    if (words.size() == 2 && words[0] == QLatin1String("json")) {
        asJson = true;
        words.removeFirst();
    }
    if (words.size() != 1 || !words[0].startsWith(u'.'))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("template action {{%1}} is not supported (use {{.Field}} or {{json .Field}})").arg(action));
    QJsonValue cur = root;
    const QStringList path = words[0].mid(1).split(u'.', Qt::SkipEmptyParts);
    for (const QString &key : path) {
        if (!cur.isObject() || !cur.toObject().contains(key))
            return asJson ? QStringLiteral("null") : QStringLiteral("<no value>"); // Go's missing map key
        cur = cur.toObject().value(key);
    }
    const QString at = path.join(u'.');
    if (!asJson)
        return goPrint(cur, at, order);
    QString json;
    writeJson(json, cur, false, 0, at, order);
    return json;
}

} // namespace

QString goJson(const QJsonValue &value, bool indent, const JsonFieldOrder &order)
{
    QString out;
    writeJson(out, value, indent, 0, QString(), order);
    return out;
}

Result<QString> renderTemplate(const QString &format, const QJsonObject &object, const JsonFieldOrder &order)
{
    QString out;
    qsizetype pos = 0;
    while (pos < format.size()) {
        const qsizetype open = format.indexOf(QLatin1String("{{"), pos);
        if (open < 0) {
            out += format.mid(pos);
            break;
        }
        out += format.mid(pos, open - pos);
        const qsizetype close = format.indexOf(QLatin1String("}}"), open + 2);
        if (close < 0)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("template: unclosed action in \"%1\"").arg(format));
        PH_TRY(const QString value, evalAction(format.mid(open + 2, close - open - 2).trimmed(), object, order));
        out += value;
        pos = close + 2;
    }
    return out;
}

} // namespace porthole::cli
