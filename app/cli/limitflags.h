// The resource-limit flags of run and create (-m, --memory-swap, --cpus,
// --cpu-shares, --pids-limit, --ulimit) with docker's value types and parse
// errors, and the `update` verb that changes them later.
#pragma once

#include "cli/args.h"
#include "cli/context.h"
#include "core/resourcelimits.h"

namespace porthole::cli {

void declareLimitFlags(ArgParser &p);
// The parsed flags as limits; the parser has checked every value.
ResourceLimits limitsFromArgs(const ParsedArgs &args);

QList<Command> updateCommands();

} // namespace porthole::cli
