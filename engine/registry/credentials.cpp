#include "registry/credentials.h"

#include "registry/credentialhelper.h"
#include "store/fsutil.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <unistd.h>

namespace porthole::registry {

namespace {

constexpr qint64 kMaxConfigBytes = 4 << 20;

bool hasScheme(const QString &key) { return key.contains(QLatin1StringView("://")); }

bool isDockerHub(const QString &host) { return host == QLatin1StringView("docker.io"); }

// The key docker writes for a host, and the server URL it gives helpers.
QString serverKeyFor(const QString &host) { return isDockerHub(host) ? dockerHubAuthKey() : host; }

// How well a key of "auths" or "credHelpers" names `host` (normalized):
// 0 the key docker itself writes, 1 a URL or alias of the host, 2 a
// repository namespace on it (podman's "quay.io/team"), -1 another registry.
int keyRank(const QString &key, const QString &host)
{
    if (key == serverKeyFor(host))
        return 0;
    if (normalizeRegistryKey(key) != host)
        return -1;
    return hasScheme(key) || !key.contains(u'/') ? 1 : 2;
}

// The keys login and logout replace: the host's own, not a namespace's.
bool isHostKey(const QString &key, const QString &host)
{
    const int rank = keyRank(key, host);
    return rank == 0 || rank == 1;
}

// Keys of `o` naming `host`, best first; QJsonObject keys are sorted, so
// equal ranks come out in a fixed order.
QStringList matchingKeys(const QJsonObject &o, const QString &host)
{
    QList<std::pair<int, QString>> ranked;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const int rank = keyRank(it.key(), host);
        if (rank >= 0)
            ranked.append({rank, it.key()});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QStringList keys;
    for (const auto &[rank, key] : ranked)
        keys.append(key);
    return keys;
}

struct ConfigFile {
    QString path;
    bool exists = false;
    QJsonObject root;
};

Error fileError(const ConfigFile &cfg, const QString &problem)
{
    return Error(ErrorCode::InvalidArgument, cfg.path + QStringLiteral(": ") + problem);
}

// A missing file reads as empty; so does an empty one, as docker allows.
Result<ConfigFile> readConfig(const QString &path)
{
    ConfigFile cfg;
    cfg.path = path;
    if (path.isEmpty())
        return cfg;
    Result<QByteArray> data = store::readFile(path, kMaxConfigBytes);
    if (!data) {
        if (data.error().code == ErrorCode::NotFound)
            return cfg;
        return data.error();
    }
    cfg.exists = true;
    if (data->trimmed().isEmpty())
        return cfg;
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(*data, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fileError(cfg, QStringLiteral("not valid JSON (%1 at offset %2)")
                                  .arg(parseError.errorString())
                                  .arg(parseError.offset));
    if (!doc.isObject())
        return fileError(cfg, QStringLiteral("expected a JSON object"));
    cfg.root = doc.object();
    return cfg;
}

Result<QJsonObject> objectField(const ConfigFile &cfg, const QString &name)
{
    const QJsonValue v = cfg.root.value(name);
    if (v.isUndefined() || v.isNull())
        return QJsonObject();
    if (!v.isObject())
        return fileError(cfg, QStringLiteral("\"%1\" is not an object").arg(name));
    return v.toObject();
}

// Docker rewrites the file a symlink points to and keeps the link (dotfile
// managers link config.json into a repository).
Status writeConfig(const ConfigFile &cfg)
{
    const QFileInfo info(cfg.path);
    const QString target = info.isSymLink() ? info.symLinkTarget() : cfg.path;
    PH_CHECK(store::makeDirs(QFileInfo(target).absolutePath(), 0700));
    return store::writeFileAtomic(target, QJsonDocument(cfg.root).toJson(QJsonDocument::Indented), 0600);
}

// ---- auths entries -------------------------------------------------------

QString trimNuls(QString s)
{
    while (s.startsWith(QChar(0)))
        s.remove(0, 1);
    while (s.endsWith(QChar(0)))
        s.chop(1);
    return s;
}

Result<std::optional<Credential>> decodeEntry(const ConfigFile &cfg, const QString &key, const QJsonValue &value)
{
    const QString where = QStringLiteral("auths[\"%1\"]").arg(key);
    if (!value.isObject())
        return fileError(cfg, where + QStringLiteral(" is not an object"));
    const QJsonObject o = value.toObject();
    QString fields[4];
    const char *names[4] = {"auth", "username", "password", "identitytoken"};
    for (int i = 0; i < 4; ++i) {
        const QJsonValue v = o.value(QLatin1StringView(names[i]));
        if (!v.isUndefined() && !v.isNull() && !v.isString())
            return fileError(cfg, QStringLiteral("%1.%2 is not a string").arg(where, QLatin1StringView(names[i])));
        fields[i] = v.toString();
    }
    auto &[auth, username, password, identityToken] = fields;
    if (!auth.isEmpty()) {
        const auto decoded = QByteArray::fromBase64Encoding(auth.toUtf8(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fileError(cfg, where + QStringLiteral(".auth is not valid base64"));
        const QString text = QString::fromUtf8(*decoded);
        const qsizetype colon = text.indexOf(u':');
        if (colon <= 0)
            return fileError(cfg, where + QStringLiteral(".auth does not hold \"user:password\""));
        username = text.left(colon);
        // Old docker versions padded the password with NULs.
        password = trimNuls(text.mid(colon + 1));
    }
    if (!identityToken.isEmpty())
        return std::optional(Credential{username, identityToken, true});
    if (username.isEmpty() && password.isEmpty())
        return std::optional<Credential>();
    if (username.isEmpty())
        return fileError(cfg, where + QStringLiteral(" has a password but no user name"));
    return std::optional(Credential{username, password, false});
}

Result<std::optional<CredentialHelper>> helperFor(const ConfigFile &cfg, const QString &host, bool allowCredsStore)
{
    PH_TRY(const QJsonObject helpers, objectField(cfg, QStringLiteral("credHelpers")));
    for (const QString &key : matchingKeys(helpers, host)) {
        const QJsonValue v = helpers.value(key);
        if (!v.isString())
            return fileError(cfg, QStringLiteral("credHelpers[\"%1\"] is not a string").arg(key));
        if (keyRank(key, host) < 2 && !v.toString().isEmpty())
            return std::optional(CredentialHelper{v.toString(), QStringLiteral("credHelpers[\"%1\"]").arg(key), cfg.path});
    }
    const QJsonValue store = cfg.root.value(QStringLiteral("credsStore"));
    if (!store.isUndefined() && !store.isNull() && !store.isString())
        return fileError(cfg, QStringLiteral("\"credsStore\" is not a string"));
    if (allowCredsStore && !store.toString().isEmpty())
        return std::optional(CredentialHelper{store.toString(), QStringLiteral("credsStore"), cfg.path});
    return std::optional<CredentialHelper>();
}

// Removes the keys login and logout own for `host`; returns how many.
int removeHostKeys(QJsonObject &auths, const QString &host)
{
    int removed = 0;
    for (const QString &key : auths.keys()) {
        if (isHostKey(key, host)) {
            auths.remove(key);
            ++removed;
        }
    }
    return removed;
}

// docker's config.json opened for login or logout.
struct WriteTarget {
    ConfigFile cfg;
    std::optional<CredentialHelper> helper;
    QJsonObject auths;

    Status save()
    {
        cfg.root.insert(QStringLiteral("auths"), auths);
        return writeConfig(cfg);
    }
};

Result<WriteTarget> openForWrite(const QString &path, const QString &host)
{
    WriteTarget t;
    PH_TRY(t.cfg, readConfig(path));
    PH_TRY(t.helper, helperFor(t.cfg, host, true));
    PH_TRY(t.auths, objectField(t.cfg, QStringLiteral("auths")));
    return t;
}

Result<std::optional<Credential>> lookupInFile(const QString &path, const QString &host, bool isDockerConfig,
                                               int timeoutMs)
{
    PH_TRY(const ConfigFile cfg, readConfig(path));
    if (!cfg.exists)
        return std::optional<Credential>();
    PH_TRY(const std::optional<CredentialHelper> helper, helperFor(cfg, host, isDockerConfig));
    // Unlike docker, "auths" is read even when a helper is set and fails or
    // has nothing: podman reads those entries whatever credsStore says, and a
    // leftover credsStore (Docker Desktop's "desktop") must not hide them.
    std::optional<Error> helperError;
    if (helper) {
        Result<std::optional<Credential>> fromHelper = helper->get(serverKeyFor(host), timeoutMs);
        if (fromHelper && *fromHelper)
            return fromHelper;
        if (!fromHelper)
            helperError = fromHelper.error();
    }
    PH_TRY(const QJsonObject auths, objectField(cfg, QStringLiteral("auths")));
    for (const QString &key : matchingKeys(auths, host)) {
        PH_TRY(std::optional<Credential> c, decodeEntry(cfg, key, auths.value(key)));
        if (c)
            return c;
    }
    if (helperError)
        return *helperError;
    return std::optional<Credential>();
}

} // namespace

QString dockerHubAuthKey() { return QStringLiteral("https://index.docker.io/v1/"); }

QString normalizeRegistryKey(const QString &key)
{
    QString s = key.trimmed();
    const qsizetype scheme = s.indexOf(QLatin1StringView("://"));
    if (scheme >= 0)
        s = s.mid(scheme + 3);
    s = s.left(s.indexOf(u'/') < 0 ? s.size() : s.indexOf(u'/')).toLower();
    if (s == QLatin1StringView("index.docker.io") || s == QLatin1StringView("registry-1.docker.io"))
        return QStringLiteral("docker.io");
    return s;
}

CredentialStore CredentialStore::fromEnvironment()
{
    const QString home = QDir::homePath();
    QString dockerDir = qEnvironmentVariable("DOCKER_CONFIG");
    if (dockerDir.isEmpty())
        dockerDir = home + QStringLiteral("/.docker");
    QStringList authFiles;
    // As podman: REGISTRY_AUTH_FILE replaces the primary (runtime) file only.
    const QString override = qEnvironmentVariable("REGISTRY_AUTH_FILE");
    const QString runtimeDir = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!override.isEmpty())
        authFiles << override;
    else if (!runtimeDir.isEmpty())
        authFiles << runtimeDir + QStringLiteral("/containers/auth.json");
    else
        authFiles << QStringLiteral("/run/containers/%1/auth.json").arg(::getuid());
    QString configHome = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (configHome.isEmpty())
        configHome = home + QStringLiteral("/.config");
    authFiles << configHome + QStringLiteral("/containers/auth.json");
    return fromFiles(dockerDir + QStringLiteral("/config.json"), authFiles);
}

CredentialStore CredentialStore::fromFiles(QString dockerConfigPath, QStringList authJsonPaths)
{
    CredentialStore s;
    s.m_dockerConfigPath = std::move(dockerConfigPath);
    s.m_authJsonPaths = std::move(authJsonPaths);
    return s;
}

Result<std::optional<Credential>> CredentialStore::lookup(const QString &registryHost) const
{
    const QString host = normalizeRegistryKey(registryHost);
    const QString step = QStringLiteral("look up credentials for %1").arg(registryHost);
    if (host.isEmpty())
        return Error(ErrorCode::InvalidArgument, step + QStringLiteral(": the registry name is empty"));
    QStringList seen;
    std::optional<Error> firstError;
    const QStringList paths = QStringList{m_dockerConfigPath} + m_authJsonPaths;
    for (qsizetype i = 0; i < paths.size(); ++i) {
        const QString clean = QDir::cleanPath(paths[i]);
        if (paths[i].isEmpty() || seen.contains(clean))
            continue;
        seen << clean;
        Result<std::optional<Credential>> found = lookupInFile(paths[i], host, i == 0, m_helperTimeoutMs);
        if (!found) {
            if (!firstError)
                firstError = found.error().context(step);
            continue;
        }
        if (*found)
            return found;
    }
    if (firstError)
        return *firstError;
    return std::optional<Credential>();
}

Status CredentialStore::store(const QString &registryHost, const Credential &credential)
{
    const QString host = normalizeRegistryKey(registryHost);
    const QString step = QStringLiteral("log in to %1").arg(registryHost);
    auto invalid = [&](const QString &problem) {
        return Error(ErrorCode::InvalidArgument, step + QStringLiteral(": ") + problem);
    };
    if (host.isEmpty())
        return invalid(QStringLiteral("the registry name is empty"));
    if (credential.secret.isEmpty())
        return invalid(credential.isIdentityToken ? QStringLiteral("the identity token is empty")
                                                  : QStringLiteral("the password is empty"));
    if (!credential.isIdentityToken && credential.username.isEmpty())
        return invalid(QStringLiteral("the user name is empty"));
    if (credential.username.contains(u':'))
        return invalid(QStringLiteral("the user name \"%1\" contains ':', which Basic authentication cannot carry")
                           .arg(credential.username));
    if (m_dockerConfigPath.isEmpty())
        return Error(ErrorCode::FailedPrecondition, step + QStringLiteral(": no docker config file to write to"));

    Result<WriteTarget> target = openForWrite(m_dockerConfigPath, host);
    if (!target)
        return target.error().context(step);
    const QString key = serverKeyFor(host);
    // Other fields of the entry ("email" from old docker versions) stay.
    QJsonObject entry = target->auths.value(key).toObject();
    removeHostKeys(target->auths, host);
    for (const char *field : {"auth", "username", "password", "identitytoken"})
        entry.remove(QLatin1StringView(field));
    if (target->helper) {
        // As docker: the secret goes to the helper, and an empty entry stays
        // in the file so tools listing logins still see the registry.
        if (Status st = target->helper->store(key, credential, m_helperTimeoutMs); !st)
            return st.error().context(step);
    } else {
        const QString pair = credential.username + u':' + (credential.isIdentityToken ? QString() : credential.secret);
        if (!credential.username.isEmpty() || !credential.isIdentityToken)
            entry.insert(QStringLiteral("auth"), QString::fromLatin1(pair.toUtf8().toBase64()));
        if (credential.isIdentityToken)
            entry.insert(QStringLiteral("identitytoken"), credential.secret);
    }
    target->auths.insert(key, entry);
    if (Status st = target->save(); !st)
        return st.error().context(step);
    return {};
}

Status CredentialStore::erase(const QString &registryHost)
{
    const QString host = normalizeRegistryKey(registryHost);
    const QString step = QStringLiteral("log out of %1").arg(registryHost);
    if (host.isEmpty())
        return Error(ErrorCode::InvalidArgument, step + QStringLiteral(": the registry name is empty"));
    Result<WriteTarget> target = openForWrite(m_dockerConfigPath, host);
    if (!target)
        return target.error().context(step);
    bool removed = false;
    if (target->helper) {
        const Status st = target->helper->erase(serverKeyFor(host), m_helperTimeoutMs);
        if (!st && st.error().code != ErrorCode::NotFound)
            return st.error().context(step);
        removed = st.ok();
    }
    if (removeHostKeys(target->auths, host) > 0) {
        if (Status st = target->save(); !st)
            return st.error().context(step);
        removed = true;
    }
    if (!removed)
        return Error(ErrorCode::NotFound, QStringLiteral("%1: not logged in (%2 holds no credential for it)")
                                              .arg(step, m_dockerConfigPath));
    return {};
}

} // namespace porthole::registry
