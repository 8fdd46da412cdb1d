// The docker-compatible command line: global options, verb dispatch, exit
// codes (125 for a usage or engine error before a container runs, 1 for a
// failed request, as docker's CLI).
#pragma once

#include <QStringList>

namespace porthole::cli {

// True when the arguments name no verb (only global options): open the GUI.
bool wantsGui(const QStringList &args);

int runCli(int argc, char **argv);

} // namespace porthole::cli
