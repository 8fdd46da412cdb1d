// commit and diff: a container's writable layer as a new
// image, or as docker's A/C/D list.
#include "container/containers.h"
#include "container/orphans.h"

#include "container/committer.h"
#include "core/reference.h"
#include "layer/compression.h"
#include "layer/upperdiff.h"
#include "store/containerstore.h"
#include "store/store.h"

namespace porthole::container {

Result<Digest> Containers::commit(const CommitRequest &request, const CancelToken &cancel)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, request.container));
    CommitOptions options;
    if (!request.reference.isEmpty()) {
        PH_TRY(const Reference ref, Reference::parse(request.reference));
        if (ref.hasDigest())
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("commit: the reference %1 has a digest; give REPOSITORY[:TAG]").arg(request.reference));
        options.refName = ref.withDefaultTag().toString();
    }
    options.author = request.author;
    options.message = request.message;
    options.changes = request.changes;
    options.pause = request.pause;
    PH_TRY(options.compression, layer::compressionFromName(request.compression));
    if (options.compression != layer::Compression::Gzip && options.compression != layer::Compression::Zstd)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid compression \"%1\" (gzip or zstd)").arg(request.compression));
    PH_TRY(const CommitResult result, commitContainer(*m_store, record, options, cancel));
    return result.id;
}

Result<QList<ChangeRow>> Containers::diff(const QString &nameOrId)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    QStringList lowers;
    QList<Digest> diffs;
    for (const Digest &d : record.config.diffIds) {
        diffs.append(d);
        lowers.prepend(m_store->layerDir(store::chainId(diffs))); // topmost first
    }
    PH_TRY(const QList<layer::Change> changes,
           layer::diffUpper(containers.upperDir(record.config.id), lowers, notCommitted(record.config)));
    QList<ChangeRow> rows;
    for (const layer::Change &c : changes)
        rows.append({c.kind == layer::Change::Added ? 'A' : c.kind == layer::Change::Changed ? 'C' : 'D', c.path});
    return rows;
}

} // namespace porthole::container
