// A container's `ps` row from its record: docker's COMMAND, STATUS ("Up 5
// seconds", "Exited (0) 3 seconds ago") and PORTS. Any thread.
#pragma once

#include "container/rows.h"
#include "store/containerstore.h"

namespace porthole::container {

ContainerRow rowFor(const store::ContainerStore &containers, const store::ContainerRecord &record);

} // namespace porthole::container
