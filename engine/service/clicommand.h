// The CLI command equivalent to a request the GUI makes, as one line a user
// can copy into a shell: what a click does, shown to a class. Every value is
// quoted for a POSIX shell when it needs to be; options left at their
// defaults are not written. Pure functions, any thread.
#pragma once

#include "service/containertypes.h"
#include "service/imagetypes.h"
#include "service/systemtypes.h"

namespace porthole::service {

// 'it''s' style single quoting when the word has anything a shell expands.
QString shellQuote(const QString &word);
// Joins words into a command line, quoting each as needed.
QString shellJoin(const QStringList &words);

QString cliCommand(const PullRequest &request);
QString cliCommand(const PushRequest &request);
QString cliCommand(const ImportRequest &request);
QString cliCommand(const CommitRequest &request);
// `porthole run -d ...` (the GUI starts containers detached).
QString cliCommand(const CreateRequest &request);
// save -o PATH [--format oci-archive] IMAGE...
QString cliCommand(const SaveRequest &request);
// export -o PATH CONTAINER
QString cliCommand(const ExportRequest &request);
QString loadCommand(const QString &path);
QString historyCommand(const QString &image, bool noTrunc = false);
QString diffCommand(const QString &container);
// volume ls
QString volumeListCommand();
// `system prune -f [-a] [--volumes]` when containers and images are both
// asked for; else the single prunes joined by &&. Empty when nothing is.
QString cliCommand(const PruneRequest &request);
// logs --tail N CONTAINER (all lines when tailLines < 0).
QString logsCommand(const QString &container, int tailLines);
// The password is never part of the line: it reads it from stdin.
QString loginCommand(const QString &registry, const QString &username, bool insecure);
QString tagCommand(const QString &source, const QString &target);
QString removeImageCommand(const QString &image, bool force);
// start, stop, kill, restart, pause, unpause, rm (-f when force).
QString containerCommand(const QString &verb, const QString &container, bool force = false);

} // namespace porthole::service
