#include "store/volumename.h"

#include <QRegularExpression>

namespace porthole::store {

// docker's local driver rule and sentences (volume/local/local.go).
Status checkVolumeName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$"));
    if (name.size() == 1)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("create %1: volume name is too short, names should be at least two alphanumeric "
                                    "characters").arg(name));
    if (!re.match(name).hasMatch())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("create %1: \"%1\" includes invalid characters for a local volume name, only "
                                    "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host "
                                    "directory, use absolute path").arg(name));
    return {};
}

QString volumeDataDir(const QString &storeRoot, const QString &name)
{
    return storeRoot + QStringLiteral("/volumes/") + name + QStringLiteral("/_data");
}

} // namespace porthole::store
