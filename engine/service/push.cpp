// push, login and logout for the Engine.
#include "service/engine.h"

#include "core/reference.h"
#include "layer/compression.h"
#include "registry/credentials.h"
#include "registry/pusher.h"
#include "registry/registryclient.h"
#include "store/store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

namespace porthole::service {

namespace {

registry::RegistryOptions registryOptions(const QStringList &insecure)
{
    registry::RegistryOptions options;
    options.insecureRegistries = insecure;
    const QStringList extraCerts = qEnvironmentVariable("PORTHOLE_CERTS_DIRS").split(u':', Qt::SkipEmptyParts);
    options.certsDirs = extraCerts + options.certsDirs;
    return options;
}

} // namespace

Result<PushOutcome> Engine::pushImage(const PushRequest &request, const CancelToken &cancel, const ProgressSink &progress)
{
    PH_TRY(const Reference parsed, Reference::parse(request.reference));
    if (parsed.hasDigest())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("push %1: push a tag, not a digest").arg(request.reference));
    const Reference ref = parsed.withDefaultTag();
    const registry::CredentialStore credentials = registry::CredentialStore::fromEnvironment();
    registry::PushOptions options;
    PH_TRY(options.compression, layer::compressionFromName(request.compression));
    if (options.compression != layer::Compression::Gzip && options.compression != layer::Compression::Zstd)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("invalid compression format \"%1\" (gzip or zstd)").arg(request.compression));
    options.registry = registryOptions(request.insecureRegistries);
    PH_TRY(const registry::PushResult pushed, registry::pushImage(*m_store, ref, &credentials, options, cancel, progress));
    // Now known under this repository's digest too: RepoDigests shows it.
    const QString repoDigest = ref.withoutTagOrDigest().name() + u'@' + pushed.manifestDigest.toString();
    PH_CHECK(m_store->editIndex([&](store::TagIndex &index) {
        auto entry = index.findTag(ref.toString());
        if (!entry)
            return Status();
        QJsonObject descriptor = entry->descriptor;
        QJsonObject annotations = descriptor.value(QStringLiteral("annotations")).toObject();
        annotations.insert(QLatin1String(store::kRepoDigestAnnotation), repoDigest);
        descriptor.insert(QStringLiteral("annotations"), annotations);
        index.setTag(ref.toString(), descriptor);
        return Status();
    }));
    return PushOutcome{ref.withoutTagOrDigest().familiarName(), pushed.tag, pushed.manifestDigest, pushed.manifestSize};
}

Status Engine::login(const QString &registryHost, const QString &username, const QString &password,
                     const QStringList &insecureRegistries)
{
    const QString host = registry::normalizeRegistryKey(registryHost.isEmpty() ? QStringLiteral("docker.io") : registryHost);
    // The credentials are tried first, from a throw-away config, so a typo is
    // reported and never saved.
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return Error(ErrorCode::Io, QStringLiteral("login: cannot create a temporary directory"));
    const QString trialConfig = scratch.filePath(QStringLiteral("config.json"));
    registry::CredentialStore trial = registry::CredentialStore::fromFiles(trialConfig, {});
    PH_CHECK(trial.store(host, {username, password, false}));
    PH_TRY(const Reference probe, Reference::parse(host + QStringLiteral("/porthole/login-check")));
    registry::RegistryClient client(probe, &trial, registryOptions(insecureRegistries));
    auto reachable = client.blobExists(Sha256::of("porthole login check"));
    if (!reachable)
        return reachable.error().context(QStringLiteral("login to %1").arg(host));
    registry::CredentialStore real = registry::CredentialStore::fromEnvironment();
    return real.store(host, {username, password, false});
}

Status Engine::logout(const QString &registryHost)
{
    const QString host = registry::normalizeRegistryKey(registryHost.isEmpty() ? QStringLiteral("docker.io") : registryHost);
    registry::CredentialStore real = registry::CredentialStore::fromEnvironment();
    return real.erase(host);
}

} // namespace porthole::service
