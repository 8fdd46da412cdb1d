// Inter-process locks on lock files (flock): the kernel drops them when the
// holder dies, so a killed CLI never wedges the store. Several threads of one
// process may each hold their own FileLock (each opens its own description).
// Move-only RAII; unlocked on destruction.
#pragma once

#include "core/result.h"

#include <QString>

namespace porthole::store {

class FileLock {
public:
    enum class Mode { Shared, Exclusive };

    FileLock() = default;
    ~FileLock();
    FileLock(FileLock &&other) noexcept;
    FileLock &operator=(FileLock &&other) noexcept;
    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;

    // Blocks until the lock is held (the lock file is created if needed).
    static Result<FileLock> acquire(const QString &path, Mode mode);
    // Returns Unavailable at once if another holder conflicts.
    static Result<FileLock> tryAcquire(const QString &path, Mode mode);

    bool isHeld() const { return m_fd >= 0; }
    void release();

private:
    static Result<FileLock> lock(const QString &path, Mode mode, bool wait);
    int m_fd = -1;
};

} // namespace porthole::store
