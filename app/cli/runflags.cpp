#include "cli/runflags.h"

#include "container/runflags.h"

namespace porthole::cli {

namespace {

FlagSpec::Kind kindOf(container::RunFlag::Kind kind)
{
    switch (kind) {
    case container::RunFlag::Bool:
        return FlagSpec::Bool;
    case container::RunFlag::String:
        return FlagSpec::String;
    case container::RunFlag::StringList:
        return FlagSpec::StringList;
    case container::RunFlag::Int:
        return FlagSpec::Int;
    }
    return FlagSpec::String;
}

} // namespace

void declareRunFlags(ArgParser &p, RunFlagSet set)
{
    for (const container::RunFlag &f : container::runFlags()) {
        if (set == RunFlagSet::Update && !f.alsoUpdate)
            continue;
        const QString defaultValue = set == RunFlagSet::Update ? QString() : f.defaultValue;
        p.addFlag({f.longName, f.shortName, kindOf(f.kind), defaultValue, f.valueName, f.help, false, f.check});
    }
}

service::CreateRequest createRequestFromArgs(const ParsedArgs &args)
{
    service::CreateRequest r;
    r.image = args.positional.value(0);
    r.command = args.positional.mid(1);
    for (const container::RunFlag &f : container::runFlags()) {
        if (args.isSet(f.longName))
            f.apply(r, args.values(f.longName));
    }
    return r;
}

} // namespace porthole::cli
