// EngineService's queries: jobs because they read the disk, often quiet (a
// view's own refresh).
#include "service/engineservice.h"

#include "service/clicommand.h"
#include "service/jobrunner.h"

namespace porthole::service {

TypedJob<QList<HistoryRow>> *EngineService::history(const QString &image, bool quiet)
{
    return start<QList<HistoryRow>>(tr("History of %1").arg(image), historyCommand(image),
                                    [image](Engine &e, const CancelToken &, const ProgressSink &) { return e.history(image); }, quiet);
}

TypedJob<QList<ChangeRow>> *EngineService::diff(const QString &container, bool quiet)
{
    return start<QList<ChangeRow>>(tr("Changes of %1").arg(container), diffCommand(container),
                                   [container](Engine &e, const CancelToken &, const ProgressSink &) { return e.diffContainer(container); },
                                   quiet);
}

TypedJob<QList<VolumeRow>> *EngineService::volumes(bool quiet)
{
    return start<QList<VolumeRow>>(tr("List volumes"), volumeListCommand(),
                                   [](Engine &e, const CancelToken &, const ProgressSink &) { return e.listVolumes(); }, quiet);
}

TypedJob<ImageLayers> *EngineService::inspectImageLayers(const QString &image)
{
    // The nearest command: the inspector's history table with full lines.
    return start<ImageLayers>(tr("Layers of %1").arg(image), historyCommand(image, true),
                              [image](Engine &e, const CancelToken &cancel, const ProgressSink &) { return e.inspectImageLayers(image, cancel); });
}

TypedJob<ContainerChanges> *EngineService::containerChanges(const QString &container, bool quiet)
{
    return start<ContainerChanges>(tr("Changes of %1").arg(container), diffCommand(container),
                                   [container](Engine &e, const CancelToken &, const ProgressSink &) { return e.containerChanges(container); },
                                   quiet);
}

TypedJob<ContainerLog> *EngineService::containerLog(const QString &container, int tailLines, bool quiet)
{
    return start<ContainerLog>(tr("Logs of %1").arg(container), logsCommand(container, tailLines),
                               [container, tailLines](Engine &e, const CancelToken &, const ProgressSink &) -> Result<ContainerLog> {
                                   PH_TRY(const ContainerRow row, e.container(container));
                                   ContainerLog log;
                                   log.containerId = row.id;
                                   log.path = e.logPath(row.id);
                                   PH_TRY(log.lines, runtime::readLog(log.path));
                                   log.totalLines = log.lines.size();
                                   if (tailLines >= 0 && log.lines.size() > tailLines)
                                       log.lines.remove(0, log.lines.size() - tailLines);
                                   return log;
                               },
                               quiet);
}

} // namespace porthole::service
