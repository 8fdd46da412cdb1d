// Named volumes' rules, shared by `volume create` and `run -v NAME:/path`
// (service/volumes.cpp, container/create.cpp).
#pragma once

#include "core/result.h"

#include <QString>

namespace porthole::store {

// docker's local driver rule: two or more of [a-zA-Z0-9_.-], starting with
// a letter or digit; InvalidArgument with docker's sentence otherwise.
Status checkVolumeName(const QString &name);

// ROOT/volumes/<name>/_data: what a container mounts.
QString volumeDataDir(const QString &storeRoot, const QString &name);

} // namespace porthole::store
