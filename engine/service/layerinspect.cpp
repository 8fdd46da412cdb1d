// The layer inspector for the Engine: an image's layers as layer/layerindex
// sees them, in the value types the GUI shows.
#include "service/engine.h"
#include "container/containers.h"

#include "layer/imagelayers.h"
#include "layer/layerindex.h"
#include "layer/unpacker.h"
#include "layer/whiteout.h"
#include "store/imagestore.h"
#include "store/store.h"

#include <QFile>

namespace porthole::service {

namespace {

static_assert(int(FileKind::Socket) == int(layer::EntryKind::Socket) && int(FileKind::Hardlink) == int(layer::EntryKind::Hardlink),
              "FileKind mirrors layer::EntryKind");

QString absolute(const QByteArray &rel) { return QLatin1Char('/') + QString::fromUtf8(rel); }

char changeChar(layer::ChangeKind c)
{
    return c == layer::ChangeKind::Added ? 'A' : c == layer::ChangeKind::Modified ? 'C' : 'D';
}

LayerFileRow toRow(const layer::AnalyzedEntry &a)
{
    LayerFileRow row;
    row.path = absolute(a.entry.path);
    row.change = changeChar(a.change);
    row.kind = FileKind(a.entry.kind);
    row.size = a.change == layer::ChangeKind::Deleted ? a.bytes : a.entry.size;
    row.mode = a.entry.mode;
    if (a.entry.kind == layer::EntryKind::Hardlink)
        row.linkTarget = absolute(a.entry.linkTarget);
    else
        row.linkTarget = QString::fromUtf8(a.entry.linkTarget);
    row.layer = a.layer;
    row.shadows = a.shadows;
    return row;
}

// One step per history entry; a step that is not empty_layer owns the next
// layer. Layers the history does not account for (images without history,
// or with too little) get a step of their own, as docker's history shows them.
QList<ImageLayerStep> stepsOf(const store::StoredImage &image, const QList<ImageLayer> &layers)
{
    QList<ImageLayerStep> steps;
    int next = 0;
    for (const HistoryEntry &h : image.config.history()) {
        ImageLayerStep step;
        step.history.imageId = QStringLiteral("<missing>");
        step.history.created = parseRfc3339(h.created).value_or(QDateTime());
        step.history.createdBy = h.createdBy;
        step.history.author = h.author;
        step.history.comment = h.comment;
        step.history.emptyLayer = h.emptyLayer;
        if (!h.emptyLayer && next < layers.size()) {
            step.layer = next++;
            step.history.size = layers[step.layer].size;
        }
        steps.append(step);
    }
    for (; next < layers.size(); ++next) {
        ImageLayerStep step;
        step.history.imageId = QStringLiteral("<missing>");
        step.history.size = layers[next].size;
        step.layer = next;
        steps.append(step);
    }
    if (!steps.isEmpty())
        steps.last().history.imageId = image.configDigest.toString();
    return steps;
}

} // namespace

Result<ImageLayers> Engine::inspectImageLayers(const QString &nameOrId, const CancelToken &cancel)
{
    // Held throughout: garbage collection must not take a layer dir we read.
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    PH_TRY(const store::ResolvedImage found, images.resolve(nameOrId));
    const store::StoredImage &image = found.image;
    const QString step = QStringLiteral("inspect the layers of %1").arg(image.shortId());
    const QList<Digest> diffIds = image.config.diffIds();
    if (diffIds.size() != image.manifest.layers.size())
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("%1: the image has %2 layers but %3 diff IDs in its config")
                                                        .arg(step).arg(image.manifest.layers.size()).arg(diffIds.size()));
    if (Status st = layer::unpackLayers(*m_store, diffIds, image.manifest.layers, cancel); !st)
        return st.error().context(step);

    ImageLayers out;
    out.id = image.configDigest;
    QList<layer::LayerIndex> indexes;
    for (qsizetype i = 0; i < diffIds.size(); ++i) {
        ImageLayer l;
        l.diffId = diffIds[i];
        l.dir = m_store->layerDir(store::chainId(diffIds.mid(0, i + 1)));
        PH_TRY(layer::LayerIndex index, layer::indexLayerDir(l.dir, cancel));
        indexes.append(std::move(index));
        out.layers.append(l);
    }
    const layer::StackAnalysis stack = layer::analyzeLayers(indexes);
    indexes.clear();
    for (qsizetype i = 0; i < out.layers.size(); ++i) {
        ImageLayer &l = out.layers[i];
        const layer::LayerAnalysis &a = stack.layers[i];
        l.size = a.contentBytes;
        l.wastedBytes = a.wastedBytes;
        l.added = a.added;
        l.modified = a.modified;
        l.deleted = a.deleted;
        l.changes.reserve(a.changes.size());
        for (const layer::AnalyzedEntry &e : a.changes)
            l.changes.append(toRow(e));
    }
    out.merged.reserve(stack.merged.size());
    for (const layer::AnalyzedEntry &e : stack.merged)
        out.merged.append(toRow(e));
    out.totalBytes = stack.totalBytes;
    out.wastedBytes = stack.wastedBytes;
    out.efficiency = stack.efficiency();
    out.steps = stepsOf(image, out.layers);
    return out;
}

Result<ContainerChanges> Engine::containerChanges(const QString &nameOrId)
{
    return containers().changes(nameOrId);
}

} // namespace porthole::service
