// pull for the Engine: the reference as docker reads it, the user's
// credentials, and the registry module's puller.
#include "service/engine.h"

#include "core/reference.h"
#include "registry/credentials.h"
#include "registry/puller.h"
#include "store/store.h"

namespace porthole::service {

Result<PullOutcome> Engine::pullImage(const PullRequest &request, const CancelToken &cancel, const ProgressSink &progress)
{
    PH_TRY(const Reference parsed, Reference::parse(request.reference));
    const Reference ref = parsed.dockerRef();
    const registry::CredentialStore credentials = registry::CredentialStore::fromEnvironment();
    registry::PullOptions options;
    options.platform = request.platform;
    options.registry.insecureRegistries = request.insecureRegistries;
    // PORTHOLE_CERTS_DIRS (colon-separated) adds certs.d roots searched first:
    // for tests and for users whose CAs live elsewhere.
    const QStringList extraCerts = qEnvironmentVariable("PORTHOLE_CERTS_DIRS").split(u':', Qt::SkipEmptyParts);
    options.registry.certsDirs = extraCerts + options.registry.certsDirs;
    auto pulled = registry::pullImage(*m_store, ref, &credentials, options, cancel, progress);
    if (!pulled)
        return pulled.error();
    PullOutcome outcome;
    outcome.refName = pulled->refName;
    outcome.familiarName = ref.familiarString();
    outcome.repoDigest = pulled->repoDigest;
    outcome.id = pulled->configDigest;
    outcome.upToDate = pulled->upToDate;
    return outcome;
}

} // namespace porthole::service
