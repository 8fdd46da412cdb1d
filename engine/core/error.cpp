#include "core/result.h"

#include <cerrno>
#include <cstring>

namespace porthole {

static ErrorCode codeForErrno(int err)
{
    switch (err) {
    case ENOENT:
    case ENOTDIR:
        return ErrorCode::NotFound;
    case EEXIST:
    case ENOTEMPTY:
        return ErrorCode::AlreadyExists;
    case EACCES:
    case EPERM:
    case EROFS:
        return ErrorCode::PermissionDenied;
    case EINVAL:
    case ENAMETOOLONG:
        return ErrorCode::InvalidArgument;
    case EAGAIN:
    case EBUSY:
        return ErrorCode::Unavailable;
    case EINTR:
        return ErrorCode::Cancelled;
    default:
        return ErrorCode::Io;
    }
}

Error Error::fromErrno(const QString &what, int err)
{
    return Error(codeForErrno(err), what + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(err)), err);
}

Error Error::context(const QString &step) const
{
    return Error(code, step + QStringLiteral(": ") + message, sysErrno);
}

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NotFound: return QStringLiteral("NotFound");
    case ErrorCode::AlreadyExists: return QStringLiteral("AlreadyExists");
    case ErrorCode::InvalidArgument: return QStringLiteral("InvalidArgument");
    case ErrorCode::FailedPrecondition: return QStringLiteral("FailedPrecondition");
    case ErrorCode::Unavailable: return QStringLiteral("Unavailable");
    case ErrorCode::PermissionDenied: return QStringLiteral("PermissionDenied");
    case ErrorCode::Io: return QStringLiteral("Io");
    case ErrorCode::Network: return QStringLiteral("Network");
    case ErrorCode::Cancelled: return QStringLiteral("Cancelled");
    case ErrorCode::Internal: return QStringLiteral("Internal");
    }
    return QStringLiteral("Unknown");
}

} // namespace porthole
