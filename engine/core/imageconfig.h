// The image configuration blob: OCI image config v1 / Docker's container
// image v1 JSON (the two are field-compatible). Value type; any thread.
//
// ImageConfig holds the document itself and its accessors read from and write
// through to it, so every key it does not model (config.Healthcheck,
// config.ArgsEscaped, docker's container_config and docker_version, extra keys
// in history entries, ...) survives read-modify-write untouched. parse()
// validates the modelled fields once; afterwards getters are total and return
// the empty value for absent keys. Setters write what they are given:
// setContainerConfig() and setConfigValue() do not validate.
#pragma once

#include "core/digest.h"
#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace porthole {

// RFC 3339 as Go writes it ("2024-05-01T12:00:00.123456789Z", or an offset).
// QDateTime keeps milliseconds only, which is why documents keep the text.
std::optional<QDateTime> parseRfc3339(QStringView text);
// UTC, fraction with trailing zeros trimmed, like Go's time.RFC3339Nano.
QString formatRfc3339(const QDateTime &time);

struct HistoryEntry {
    QString created; // RFC 3339 text as written; see formatRfc3339()
    QString createdBy;
    QString author;
    QString comment;
    bool emptyLayer = false;
    QJsonObject unknown;

    static Result<HistoryEntry> fromJson(const QJsonObject &object, const QString &path = QStringLiteral("history"));
    QJsonObject toJson() const;

    friend bool operator==(const HistoryEntry &, const HistoryEntry &) = default;
};

class ImageConfig {
public:
    ImageConfig() = default;

    // Refuses non-objects and modelled fields of the wrong type, an unparsable
    // "created", and invalid rootfs.diff_ids; messages name the field.
    static Result<ImageConfig> parse(const QByteArray &json);
    static Result<ImageConfig> fromJson(const QJsonObject &object);

    // Compact, key-sorted JSON of the whole document.
    QByteArray toJson() const;
    const QJsonObject &toJsonObject() const { return m_json; }

    QString created() const; // the text as stored
    std::optional<QDateTime> createdTime() const;
    void setCreated(const QDateTime &time);
    QString author() const;
    void setAuthor(const QString &author);
    QString architecture() const;
    void setArchitecture(const QString &architecture);
    QString os() const;
    void setOs(const QString &os);
    QString variant() const;
    void setVariant(const QString &variant);

    // "config": the defaults a container gets (Env, Cmd, User, ...).
    QJsonObject containerConfig() const;
    void setContainerConfig(const QJsonObject &config);
    QJsonValue configValue(QStringView key) const;
    void setConfigValue(const QString &key, const QJsonValue &value);
    void removeConfigValue(const QString &key);

    // Typed views of "config". Lists and maps read absent or null as empty.
    QStringList env() const;
    void setEnv(const QStringList &env);
    QStringList cmd() const;
    void setCmd(const QStringList &cmd);
    QStringList entrypoint() const;
    void setEntrypoint(const QStringList &entrypoint);
    QString user() const;
    QString workingDir() const;
    QMap<QString, QString> labels() const;
    QStringList exposedPorts() const; // "80/tcp", sorted
    QStringList volumes() const;      // sorted
    QString stopSignal() const;
    QStringList onBuild() const;
    QStringList shell() const;

    QString rootfsType() const;
    QList<Digest> diffIds() const;
    // Also sets rootfs.type to "layers", the only type the spec defines.
    void setDiffIds(const QList<Digest> &ids);
    void appendDiffId(const Digest &id);

    QList<HistoryEntry> history() const;
    void setHistory(const QList<HistoryEntry> &history);
    void appendHistory(const HistoryEntry &entry);

    friend bool operator==(const ImageConfig &a, const ImageConfig &b) { return a.m_json == b.m_json; }

private:
    QString topString(QStringView key) const;
    void setTopString(const QString &key, const QString &value);
    QStringList configStringList(QStringView key) const;

    QJsonObject m_json;
};

} // namespace porthole
