// Image layers' bytes by diff ID, each shared layer counted once: what
// `system df` and the prunes count (systeminfo.cpp).
#pragma once

#include "store/imagestore.h"

#include <QHash>
#include <QList>
#include <QString>

namespace porthole::service {

// Keyed by diff ID hex; the sizes are the layers' file content.
QHash<QString, qint64> layerBytesByDiffId(const store::ImageStore &images, const QList<store::StoredImage> &all);

} // namespace porthole::service
