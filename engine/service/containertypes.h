// The container types of the engine's facade: they are the container
// module's own (container/requests.h, container/rows.h), named here so that
// callers of the facade spell every type as service::X.
#pragma once

#include "runtime/logfile.h"
#include "container/requests.h"
#include "container/rows.h"

namespace porthole::service {

using container::ChangeRow;
using container::ContainerChangeRow;
using container::ContainerChanges;
using container::CommitRequest;
using container::ContainerRow;
using container::ContainerSample;
using container::CopyRequest;
using container::CopyResult;
using container::CreateRequest;
using container::ExportRequest;
using container::ProcessRow;

// A container's log for the Logs view: the last lines and the file, so the
// view can watch it and read it again when it grows.
struct ContainerLog {
    QString containerId;
    QString path;                  // the json-file log; it rotates to path + ".1"
    QList<runtime::LogLine> lines; // the last ones asked for, oldest first
    qsizetype totalLines = 0;      // in both files, before the tail was taken
};

} // namespace porthole::service
