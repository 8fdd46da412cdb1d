// The flags of run and create, from the container module's one table
// (container/runflags.h), as this CLI's parser declares and reads them.
#pragma once

#include "cli/args.h"
#include "service/containertypes.h"

namespace porthole::cli {

enum class RunFlagSet {
    Create, // run and create: every flag, with its default
    Update, // update: the limit flags it shares, without defaults
};
void declareRunFlags(ArgParser &p, RunFlagSet set = RunFlagSet::Create);

// The request the parsed flags make; IMAGE [COMMAND [ARG...]] when given.
// The parser has checked every value.
service::CreateRequest createRequestFromArgs(const ParsedArgs &args);

} // namespace porthole::cli
