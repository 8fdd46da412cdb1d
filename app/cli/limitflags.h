// The `update` verb: new resource limits for containers, with the limit
// flags run and create declare (cli/runflags.h), docker's value types and
// parse errors.
#pragma once

#include "cli/args.h"
#include "cli/context.h"
#include "core/resourcelimits.h"

namespace porthole::cli {

QList<Command> updateCommands();

} // namespace porthole::cli
