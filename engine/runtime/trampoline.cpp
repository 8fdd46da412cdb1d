#include "runtime/trampoline.h"

#include <cerrno>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

namespace porthole::runtime {

extern const unsigned char kTrampolineProgram[];
extern const std::size_t kTrampolineProgramSize;

namespace {

Result<int> makeSealedCopy()
{
    const QString step = QStringLiteral("prepare the exec trampoline");
    // MFD_EXEC: kernels with vm.memfd_noexec (6.3+) want executability
    // asked for; older ones do not know the flag.
    int fd = ::memfd_create("porthole-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (fd < 0 && errno == EINVAL)
        fd = ::memfd_create("porthole-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return Error::fromErrno(step + QStringLiteral(": memfd_create"), errno);
    const char *p = reinterpret_cast<const char *>(kTrampolineProgram);
    std::size_t left = kTrampolineProgramSize;
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            ::close(fd);
            return Error::fromErrno(step + QStringLiteral(": write"), err);
        }
        p += n;
        left -= std::size_t(n);
    }
    const int seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
    if (::fcntl(fd, F_ADD_SEALS, seals | F_SEAL_EXEC) != 0 && ::fcntl(fd, F_ADD_SEALS, seals) != 0) {
        const int err = errno;
        ::close(fd);
        return Error::fromErrno(step + QStringLiteral(": seal"), err);
    }
    return fd;
}

} // namespace

Result<int> trampolineFd()
{
    static std::once_flag once;
    static Result<int> made = Error(ErrorCode::Internal, QStringLiteral("the exec trampoline was not made"));
    std::call_once(once, [] { made = makeSealedCopy(); });
    return made;
}

} // namespace porthole::runtime
