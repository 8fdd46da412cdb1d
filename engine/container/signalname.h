// Signal names as docker's kill and --stop-signal take them: "SIGTERM",
// "TERM", "term" or a number. Pure; any thread.
#pragma once

#include "core/result.h"

#include <QString>

namespace porthole::container {

// InvalidArgument "invalid signal: X" for anything else.
Result<int> signalNumber(const QString &name);

} // namespace porthole::container
