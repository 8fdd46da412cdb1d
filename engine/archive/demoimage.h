// The built-in demo image (localhost/demo:latest): the machine's static
// busybox, its common applets as symlinks, a few /etc files, CMD ["sh"].
// The recipe is resources/demo/recipe.json, compiled in. Gives a new user
// something to run with no network. Same threading as importRootfs.
#pragma once

#include "archive/importer.h"

namespace porthole::archive {

// Builds the demo rootfs tar in memory (deterministic: fixed owners and
// mtimes). busyboxPath empty: the recipe's (PORTHOLE_BUSYBOX overrides).
Result<QByteArray> buildDemoRootfs(const QString &busyboxPath = {});

// Imports the demo rootfs and tags it localhost/demo:latest.
// beforeTag as in ImportOptions (the engine unpacks the layer there).
Result<ImportedImage> createDemoImage(store::Store &store, decltype(ImportOptions::beforeTag) beforeTag = {});

} // namespace porthole::archive
