// Result<T> and Error: how every engine function reports failure.
// No exceptions cross a module boundary; a function that can fail returns
// Result<T> (or Result<void>) and the caller decides. Value types, no threads.
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace porthole {

enum class ErrorCode {
    NotFound,
    AlreadyExists,
    InvalidArgument,
    FailedPrecondition,
    Unavailable,
    PermissionDenied,
    Io,
    Network,
    Cancelled,
    Internal,
};

// A failure with a sentence a user can act on. The message names the step and
// the object ("read blob sha256:ab12…: ..."); sysErrno keeps the errno, if any.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;
    int sysErrno = 0;

    Error() = default;
    Error(ErrorCode c, QString msg, int err = 0) : code(c), message(std::move(msg)), sysErrno(err) {}

    // An error for a failed system call: the message gets strerror appended and
    // the code is derived from errno (ENOENT → NotFound, EACCES → PermissionDenied...).
    static Error fromErrno(const QString &what, int err);

    // Prefixes the message with the step that was being done: "step: message".
    Error context(const QString &step) const;
};

QString errorCodeName(ErrorCode code);

template <typename T>
class [[nodiscard]] Result {
public:
    Result(const T &value) : m_v(std::in_place_index<0>, value) {}
    Result(T &&value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T &&operator*() && { return std::move(*this).value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<1>(m_v); }

    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace porthole

#define PH_CONCAT_INNER(a, b) a##b
#define PH_CONCAT(a, b) PH_CONCAT_INNER(a, b)

// PH_TRY(auto x, expr): evaluates expr (a Result<T>); on error returns the
// error from the enclosing function, otherwise declares x with the value.
#define PH_TRY(decl, expr)                                                       \
    auto PH_CONCAT(ph_result_, __LINE__) = (expr);                               \
    if (!PH_CONCAT(ph_result_, __LINE__))                                        \
        return PH_CONCAT(ph_result_, __LINE__).error();                          \
    decl = std::move(*PH_CONCAT(ph_result_, __LINE__))

// PH_CHECK(expr): for Result<void>; returns the error if there is one.
#define PH_CHECK(expr)                                                           \
    do {                                                                         \
        auto ph_status_ = (expr);                                                \
        if (!ph_status_)                                                         \
            return ph_status_.error();                                           \
    } while (0)
