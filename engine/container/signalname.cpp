#include "container/signalname.h"

#include <QHash>

#include <csignal>

namespace porthole::container {

Result<int> signalNumber(const QString &name)
{
    bool numeric = false;
    const int n = name.toInt(&numeric);
    if (numeric)
        return n > 0 && n < 65 ? Result<int>(n) : Result<int>(Error(ErrorCode::InvalidArgument, QStringLiteral("invalid signal: %1").arg(name)));
    QString upper = name.toUpper();
    if (!upper.startsWith(QLatin1String("SIG")))
        upper.prepend(QLatin1String("SIG"));
    static const QHash<QString, int> signals{
        {QStringLiteral("SIGHUP"), SIGHUP},   {QStringLiteral("SIGINT"), SIGINT},   {QStringLiteral("SIGQUIT"), SIGQUIT},
        {QStringLiteral("SIGKILL"), SIGKILL}, {QStringLiteral("SIGUSR1"), SIGUSR1}, {QStringLiteral("SIGUSR2"), SIGUSR2},
        {QStringLiteral("SIGTERM"), SIGTERM}, {QStringLiteral("SIGCONT"), SIGCONT}, {QStringLiteral("SIGSTOP"), SIGSTOP},
        {QStringLiteral("SIGWINCH"), SIGWINCH}, {QStringLiteral("SIGPIPE"), SIGPIPE}, {QStringLiteral("SIGALRM"), SIGALRM}};
    if (!signals.contains(upper))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid signal: %1").arg(name));
    return signals.value(upper);
}

} // namespace porthole::container
