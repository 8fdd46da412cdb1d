#include "cli/template.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace porthole::cli {

static QString jsonText(const QJsonValue &v)
{
    if (v.isString())
        return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    return QStringLiteral("null");
}

// Go prints a missing map key as "<no value>" and nil as "<nil>".
static QString plainText(const QJsonValue &v, bool missing)
{
    if (missing)
        return QStringLiteral("<no value>");
    if (v.isString())
        return v.toString();
    if (v.isNull())
        return QStringLiteral("<nil>");
    return jsonText(v);
}

static Result<QString> evalAction(const QString &action, const QJsonObject &root)
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
    bool missing = false;
    const QStringList path = words[0].mid(1).split(u'.', Qt::SkipEmptyParts);
    for (const QString &key : path) {
        if (!cur.isObject() || !cur.toObject().contains(key)) {
            missing = true;
            cur = QJsonValue();
            break;
        }
        cur = cur.toObject().value(key);
    }
    return asJson ? jsonText(cur) : plainText(cur, missing);
}

Result<QString> renderTemplate(const QString &format, const QJsonObject &object)
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
        PH_TRY(const QString value, evalAction(format.mid(open + 2, close - open - 2).trimmed(), object));
        out += value;
        pos = close + 2;
    }
    return out;
}

} // namespace porthole::cli
