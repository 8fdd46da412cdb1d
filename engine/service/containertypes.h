// The container types of the engine's facade: they are the container
// module's own (container/requests.h, container/rows.h), named here so that
// callers of the facade spell every type as service::X.
#pragma once

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

} // namespace porthole::service
