#include "core/imageconfig.h"

#include "core/jsonobject.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace porthole {

using namespace Qt::StringLiterals;

std::optional<QDateTime> parseRfc3339(QStringView text)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$)"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    auto num = [&](int i) { return m.capturedView(i).toInt(); };
    const QDate date(num(1), num(2), num(3));
    const QString fraction = (m.captured(7) + u"000"_s).left(3);
    const QTime time(num(4), num(5), num(6), fraction.toInt());
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    int offset = 0;
    if (!m.capturedView(9).isEmpty()) {
        offset = (num(10) * 60 + num(11)) * 60;
        if (m.capturedView(9) == u"-")
            offset = -offset;
    }
    return QDateTime(date, time, Qt::OffsetFromUTC, offset).toUTC();
}

QString formatRfc3339(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    QString out = QString::asprintf("%04d-%02d-%02dT%02d:%02d:%02d", d.year(), d.month(), d.day(), t.hour(),
                                    t.minute(), t.second());
    if (t.msec() != 0) {
        QString ms = QString::asprintf(".%03d", t.msec());
        while (ms.endsWith(u'0'))
            ms.chop(1);
        out += ms;
    }
    return out + u'Z';
}

static Status checkTime(const QJsonObject &o, QStringView key, const QString &parent)
{
    PH_TRY(const QString text, json::readString(o, key, parent));
    if (!text.isEmpty() && !parseRfc3339(text))
        return json::fieldError(json::fieldPath(parent, key),
                                QStringLiteral("is not an RFC 3339 time: \"%1\"").arg(text.left(100)));
    return {};
}

Result<HistoryEntry> HistoryEntry::fromJson(const QJsonObject &o, const QString &path)
{
    HistoryEntry h;
    PH_CHECK(checkTime(o, u"created", path));
    PH_TRY(h.created, json::readString(o, u"created", path));
    PH_TRY(h.createdBy, json::readString(o, u"created_by", path));
    PH_TRY(h.author, json::readString(o, u"author", path));
    PH_TRY(h.comment, json::readString(o, u"comment", path));
    PH_TRY(h.emptyLayer, json::readBool(o, u"empty_layer", path));
    h.unknown = json::without(o, {"created"_L1, "created_by"_L1, "author"_L1, "comment"_L1, "empty_layer"_L1});
    return h;
}

QJsonObject HistoryEntry::toJson() const
{
    QJsonObject o = unknown;
    // Every field is omitempty in both specs.
    if (!created.isEmpty())
        o.insert("created"_L1, created);
    if (!createdBy.isEmpty())
        o.insert("created_by"_L1, createdBy);
    if (!author.isEmpty())
        o.insert("author"_L1, author);
    if (!comment.isEmpty())
        o.insert("comment"_L1, comment);
    if (emptyLayer)
        o.insert("empty_layer"_L1, true);
    return o;
}

// Type checks for the "config" keys we model; the rest is opaque to us.
static Status validateContainerConfig(const QJsonObject &c)
{
    const QString p = QStringLiteral("config");
    for (QStringView key : {u"User", u"WorkingDir", u"StopSignal"})
        PH_CHECK(json::readString(c, key, p));
    for (QStringView key : {u"Env", u"OnBuild", u"Shell"})
        PH_CHECK(json::readStringList(c, key, p));
    for (QStringView key : {u"Cmd", u"Entrypoint"})
        PH_CHECK(json::readStringList(c, key, p, true));
    for (QStringView key : {u"ExposedPorts", u"Volumes"})
        PH_CHECK(json::readObject(c, key, p));
    PH_CHECK(json::readStringMap(c, u"Labels", p));
    return {};
}

static Status validate(const QJsonObject &o)
{
    PH_CHECK(checkTime(o, u"created", QString()));
    for (QStringView key : {u"author", u"architecture", u"os", u"variant", u"os.version"})
        PH_CHECK(json::readString(o, key, QString()));
    PH_CHECK(json::readStringList(o, u"os.features", QString()));

    PH_TRY(const QJsonObject config, json::readObject(o, u"config", QString()));
    PH_CHECK(validateContainerConfig(config));

    PH_TRY(const QJsonObject rootfs, json::readObject(o, u"rootfs", QString()));
    PH_CHECK(json::readString(rootfs, u"type", QStringLiteral("rootfs")));
    PH_TRY(const QJsonArray ids, json::readArray(rootfs, u"diff_ids", QStringLiteral("rootfs")));
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const QString path = json::indexPath(QStringLiteral("rootfs.diff_ids"), i);
        if (!ids.at(i).isString())
            return json::fieldError(path, QStringLiteral("must be a string"));
        auto d = Digest::parse(ids.at(i).toString());
        if (!d)
            return json::fieldError(path, QStringLiteral("is not valid: %1").arg(d.error().message));
    }

    PH_TRY(const QJsonArray history, json::readArray(o, u"history", QString()));
    for (qsizetype i = 0; i < history.size(); ++i) {
        const QString path = json::indexPath(QStringLiteral("history"), i);
        if (!history.at(i).isObject())
            return json::fieldError(path, QStringLiteral("must be an object"));
        PH_CHECK(HistoryEntry::fromJson(history.at(i).toObject(), path));
    }
    return {};
}

Result<ImageConfig> ImageConfig::parse(const QByteArray &bytes)
{
    PH_TRY(const QJsonObject o, json::parseObject(bytes, QStringLiteral("image config")));
    return fromJson(o);
}

Result<ImageConfig> ImageConfig::fromJson(const QJsonObject &object)
{
    if (Status s = validate(object); !s)
        return s.error().context(QStringLiteral("parse image config"));
    ImageConfig c;
    c.m_json = object;
    return c;
}

QByteArray ImageConfig::toJson() const
{
    return json::compact(m_json);
}

QString ImageConfig::topString(QStringView key) const
{
    return m_json.value(key).toString();
}

void ImageConfig::setTopString(const QString &key, const QString &value)
{
    if (value.isEmpty())
        m_json.remove(key);
    else
        m_json.insert(key, value);
}

QString ImageConfig::created() const { return topString(u"created"); }
std::optional<QDateTime> ImageConfig::createdTime() const { return parseRfc3339(created()); }
void ImageConfig::setCreated(const QDateTime &time) { m_json.insert("created"_L1, formatRfc3339(time)); }
QString ImageConfig::author() const { return topString(u"author"); }
void ImageConfig::setAuthor(const QString &author) { setTopString(u"author"_s, author); }
QString ImageConfig::architecture() const { return topString(u"architecture"); }
// architecture and os are required by the spec, so they are written even if empty.
void ImageConfig::setArchitecture(const QString &a) { m_json.insert("architecture"_L1, a); }
QString ImageConfig::os() const { return topString(u"os"); }
void ImageConfig::setOs(const QString &os) { m_json.insert("os"_L1, os); }
QString ImageConfig::variant() const { return topString(u"variant"); }
void ImageConfig::setVariant(const QString &variant) { setTopString(u"variant"_s, variant); }

QJsonObject ImageConfig::containerConfig() const
{
    return m_json.value(u"config").toObject();
}

void ImageConfig::setContainerConfig(const QJsonObject &config)
{
    m_json.insert("config"_L1, config);
}

QJsonValue ImageConfig::configValue(QStringView key) const
{
    return containerConfig().value(key);
}

void ImageConfig::setConfigValue(const QString &key, const QJsonValue &value)
{
    QJsonObject c = containerConfig();
    c.insert(key, value);
    setContainerConfig(c);
}

void ImageConfig::removeConfigValue(const QString &key)
{
    QJsonObject c = containerConfig();
    c.remove(key);
    setContainerConfig(c);
}

QStringList ImageConfig::configStringList(QStringView key) const
{
    // Validated at parse; a bad value set later reads as empty rather than failing.
    return json::readStringList(containerConfig(), key, QString(), true).valueOr({});
}

QStringList ImageConfig::env() const { return configStringList(u"Env"); }
void ImageConfig::setEnv(const QStringList &env) { setConfigValue(u"Env"_s, json::fromStringList(env)); }
QStringList ImageConfig::cmd() const { return configStringList(u"Cmd"); }
void ImageConfig::setCmd(const QStringList &cmd) { setConfigValue(u"Cmd"_s, json::fromStringList(cmd)); }
QStringList ImageConfig::entrypoint() const { return configStringList(u"Entrypoint"); }
void ImageConfig::setEntrypoint(const QStringList &e) { setConfigValue(u"Entrypoint"_s, json::fromStringList(e)); }
QString ImageConfig::user() const { return configValue(u"User").toString(); }
QString ImageConfig::workingDir() const { return configValue(u"WorkingDir").toString(); }
QString ImageConfig::stopSignal() const { return configValue(u"StopSignal").toString(); }
QStringList ImageConfig::onBuild() const { return configStringList(u"OnBuild"); }
QStringList ImageConfig::shell() const { return configStringList(u"Shell"); }

QMap<QString, QString> ImageConfig::labels() const
{
    return json::readStringMap(containerConfig(), u"Labels", QString()).valueOr({});
}

QStringList ImageConfig::exposedPorts() const
{
    return configValue(u"ExposedPorts").toObject().keys();
}

QStringList ImageConfig::volumes() const
{
    return configValue(u"Volumes").toObject().keys();
}

QString ImageConfig::rootfsType() const
{
    return m_json.value(u"rootfs").toObject().value(u"type").toString();
}

QList<Digest> ImageConfig::diffIds() const
{
    QList<Digest> out;
    const QJsonArray ids = m_json.value(u"rootfs").toObject().value(u"diff_ids").toArray();
    for (const QJsonValue &v : ids) {
        if (auto d = Digest::parse(v.toString()))
            out.append(*d);
    }
    return out;
}

void ImageConfig::setDiffIds(const QList<Digest> &ids)
{
    QJsonObject rootfs = m_json.value(u"rootfs").toObject();
    QJsonArray arr;
    for (const Digest &d : ids)
        arr.append(d.toString());
    rootfs.insert("type"_L1, "layers"_L1);
    rootfs.insert("diff_ids"_L1, arr);
    m_json.insert("rootfs"_L1, rootfs);
}

void ImageConfig::appendDiffId(const Digest &id)
{
    QList<Digest> ids = diffIds();
    ids.append(id);
    setDiffIds(ids);
}

QList<HistoryEntry> ImageConfig::history() const
{
    QList<HistoryEntry> out;
    const QJsonArray arr = m_json.value(u"history").toArray();
    for (const QJsonValue &v : arr) {
        if (auto h = HistoryEntry::fromJson(v.toObject()))
            out.append(*h);
    }
    return out;
}

void ImageConfig::setHistory(const QList<HistoryEntry> &history)
{
    QJsonArray arr;
    for (const HistoryEntry &h : history)
        arr.append(h.toJson());
    m_json.insert("history"_L1, arr);
}

void ImageConfig::appendHistory(const HistoryEntry &entry)
{
    // Appends to the raw array so earlier entries stay byte-for-byte as read.
    QJsonArray arr = m_json.value(u"history").toArray();
    arr.append(entry.toJson());
    m_json.insert("history"_L1, arr);
}

} // namespace porthole
