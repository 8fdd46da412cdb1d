#include "registry/credentials.h"

#include "store/fsutil.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

#include <algorithm>
#include <unistd.h>

namespace porthole::registry {

namespace {

// What docker-credential-helpers print (and exit non-zero with) for "no entry".
constexpr QLatin1StringView kHelperNotFound("credentials not found in native keychain");
// The user name helpers store identity tokens under.
constexpr QLatin1StringView kTokenUsername("<token>");
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

// ---- credential helpers --------------------------------------------------

struct HelperOutput {
    int exitCode = 0;
    QByteArray out;
    QByteArray err;

    bool notFound() const
    {
        return QString::fromUtf8(out.trimmed()).compare(kHelperNotFound, Qt::CaseInsensitive) == 0
            || QString::fromUtf8(err.trimmed()).compare(kHelperNotFound, Qt::CaseInsensitive) == 0;
    }
};

// docker-credential-<name>: `get`, `store` and `erase`, JSON over stdin/stdout.
struct Helper {
    QString name;
    QString configuredBy; // credHelpers["ghcr.io"] or credsStore, for messages
    QString configPath;

    QString program() const { return QStringLiteral("docker-credential-") + name; }

    Error error(ErrorCode code, const QString &verb, const QString &problem) const
    {
        return Error(code, QStringLiteral("credential helper %1 %2: %3").arg(program(), verb, problem));
    }

    // Helpers report errors on stdout; one that printed JSON may have
    // printed a secret, so that is never echoed.
    Error failure(const QString &verb, const HelperOutput &o) const
    {
        QByteArray text = o.out.trimmed().isEmpty() ? o.err.trimmed() : o.out.trimmed();
        text = text.left(text.indexOf('\n') < 0 ? text.size() : text.indexOf('\n')).left(200);
        QString problem = QStringLiteral("exited with status %1").arg(o.exitCode);
        if (!text.isEmpty() && !text.startsWith('{'))
            problem += QStringLiteral(": ") + QString::fromUtf8(text);
        return error(ErrorCode::Unavailable, verb, problem);
    }

    Result<HelperOutput> run(const QString &verb, const QByteArray &input, int timeoutMs) const
    {
        const QString origin = QStringLiteral("(set by %1 in %2)").arg(configuredBy, configPath);
        if (name.contains(u'/'))
            return error(ErrorCode::InvalidArgument, verb,
                         QStringLiteral("the name %1 must not contain '/'").arg(origin));
        const QString exe = QStandardPaths::findExecutable(program());
        if (exe.isEmpty())
            return error(ErrorCode::NotFound, verb,
                         QStringLiteral("%1 %2 was not found on PATH").arg(program(), origin));
        const QDeadlineTimer deadline(timeoutMs);
        auto remaining = [&] { return int(std::max<qint64>(1, deadline.remainingTime())); };
        QProcess p;
        p.setProgram(exe);
        p.setArguments({verb});
        p.start();
        if (!p.waitForStarted(remaining()))
            return error(ErrorCode::Unavailable, verb,
                         QStringLiteral("could not start %1: %2").arg(exe, p.errorString()));
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(remaining())) {
            p.kill();
            p.waitForFinished(1000);
            return error(ErrorCode::Unavailable, verb,
                         QStringLiteral("no answer within %1 ms, so it was stopped").arg(timeoutMs));
        }
        if (p.exitStatus() != QProcess::NormalExit)
            return error(ErrorCode::Unavailable, verb, QStringLiteral("the helper crashed"));
        return HelperOutput{p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

    Result<std::optional<Credential>> get(const QString &serverUrl, int timeoutMs) const
    {
        const QString verb = QStringLiteral("get");
        PH_TRY(const HelperOutput o, run(verb, serverUrl.toUtf8(), timeoutMs));
        if (o.exitCode != 0 && o.notFound())
            return std::optional<Credential>();
        if (o.exitCode != 0)
            return failure(verb, o);
        const QJsonDocument doc = QJsonDocument::fromJson(o.out);
        if (!doc.isObject())
            return error(ErrorCode::InvalidArgument, verb,
                         QStringLiteral("the answer for %1 is not a JSON object").arg(serverUrl));
        const QString username = doc.object().value(QStringLiteral("Username")).toString();
        const QString secret = doc.object().value(QStringLiteral("Secret")).toString();
        if (username.isEmpty() && secret.isEmpty())
            return std::optional<Credential>();
        if (username == kTokenUsername)
            return std::optional(Credential{QString(), secret, true});
        return std::optional(Credential{username, secret, false});
    }

    Status store(const QString &serverUrl, const Credential &c, int timeoutMs) const
    {
        const QJsonObject request{
            {QStringLiteral("ServerURL"), serverUrl},
            {QStringLiteral("Username"), c.isIdentityToken ? QString(kTokenUsername) : c.username},
            {QStringLiteral("Secret"), c.secret},
        };
        const QString verb = QStringLiteral("store");
        PH_TRY(const HelperOutput o, run(verb, QJsonDocument(request).toJson(QJsonDocument::Compact), timeoutMs));
        if (o.exitCode != 0)
            return failure(verb, o);
        return {};
    }

    // NotFound when the helper had nothing for the server.
    Status erase(const QString &serverUrl, int timeoutMs) const
    {
        const QString verb = QStringLiteral("erase");
        PH_TRY(const HelperOutput o, run(verb, serverUrl.toUtf8(), timeoutMs));
        if (o.exitCode != 0 && o.notFound())
            return error(ErrorCode::NotFound, verb, QStringLiteral("nothing stored for %1").arg(serverUrl));
        if (o.exitCode != 0)
            return failure(verb, o);
        return {};
    }
};

Result<std::optional<Helper>> helperFor(const ConfigFile &cfg, const QString &host, bool allowCredsStore)
{
    PH_TRY(const QJsonObject helpers, objectField(cfg, QStringLiteral("credHelpers")));
    for (const QString &key : matchingKeys(helpers, host)) {
        const QJsonValue v = helpers.value(key);
        if (!v.isString())
            return fileError(cfg, QStringLiteral("credHelpers[\"%1\"] is not a string").arg(key));
        if (keyRank(key, host) < 2 && !v.toString().isEmpty())
            return std::optional(Helper{v.toString(), QStringLiteral("credHelpers[\"%1\"]").arg(key), cfg.path});
    }
    const QJsonValue store = cfg.root.value(QStringLiteral("credsStore"));
    if (!store.isUndefined() && !store.isNull() && !store.isString())
        return fileError(cfg, QStringLiteral("\"credsStore\" is not a string"));
    if (allowCredsStore && !store.toString().isEmpty())
        return std::optional(Helper{store.toString(), QStringLiteral("credsStore"), cfg.path});
    return std::optional<Helper>();
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
    std::optional<Helper> helper;
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
    PH_TRY(const std::optional<Helper> helper, helperFor(cfg, host, isDockerConfig));
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
