#include "registry/credentialhelper.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

#include <algorithm>

namespace porthole::registry {

namespace {

// What docker-credential-helpers print (and exit non-zero with) for "no entry".
constexpr QLatin1StringView kHelperNotFound("credentials not found in native keychain");
// The user name helpers store identity tokens under.
constexpr QLatin1StringView kTokenUsername("<token>");

} // namespace

struct CredentialHelper::Output {
    int exitCode = 0;
    QByteArray out;
    QByteArray err;

    bool notFound() const
    {
        return QString::fromUtf8(out.trimmed()).compare(kHelperNotFound, Qt::CaseInsensitive) == 0
            || QString::fromUtf8(err.trimmed()).compare(kHelperNotFound, Qt::CaseInsensitive) == 0;
    }
};

Error CredentialHelper::error(ErrorCode code, const QString &verb, const QString &problem) const
{
    return Error(code, QStringLiteral("credential helper %1 %2: %3").arg(program(), verb, problem));
}

// Helpers report errors on stdout; one that printed JSON may have
// printed a secret, so that is never echoed.
Error CredentialHelper::failure(const QString &verb, const Output &o) const
{
    QByteArray text = o.out.trimmed().isEmpty() ? o.err.trimmed() : o.out.trimmed();
    text = text.left(text.indexOf('\n') < 0 ? text.size() : text.indexOf('\n')).left(200);
    QString problem = QStringLiteral("exited with status %1").arg(o.exitCode);
    if (!text.isEmpty() && !text.startsWith('{'))
        problem += QStringLiteral(": ") + QString::fromUtf8(text);
    return error(ErrorCode::Unavailable, verb, problem);
}

Result<CredentialHelper::Output> CredentialHelper::run(const QString &verb, const QByteArray &input, int timeoutMs) const
{
    const QString origin = QStringLiteral("(set by %1 in %2)").arg(configuredBy, configPath);
    if (name.contains(u'/'))
        return error(ErrorCode::InvalidArgument, verb,
                     QStringLiteral("the name %1 must not contain '/'").arg(origin));
    const QString exe = QStandardPaths::findExecutable(program());
    if (exe.isEmpty())
        return error(ErrorCode::NotFound, verb,
                     QStringLiteral("%1 %2 was not found on PATH").arg(program(), origin));
    const QDeadlineTimer deadline(timeoutMs);
    auto remaining = [&] { return int(std::max<qint64>(1, deadline.remainingTime())); };
    QProcess p;
    p.setProgram(exe);
    p.setArguments({verb});
    p.start();
    if (!p.waitForStarted(remaining()))
        return error(ErrorCode::Unavailable, verb,
                     QStringLiteral("could not start %1: %2").arg(exe, p.errorString()));
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(remaining())) {
        p.kill();
        p.waitForFinished(1000);
        return error(ErrorCode::Unavailable, verb,
                     QStringLiteral("no answer within %1 ms, so it was stopped").arg(timeoutMs));
    }
    if (p.exitStatus() != QProcess::NormalExit)
        return error(ErrorCode::Unavailable, verb, QStringLiteral("the helper crashed"));
    return Output{p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

Result<std::optional<Credential>> CredentialHelper::get(const QString &serverUrl, int timeoutMs) const
{
    const QString verb = QStringLiteral("get");
    PH_TRY(const Output o, run(verb, serverUrl.toUtf8(), timeoutMs));
    if (o.exitCode != 0 && o.notFound())
        return std::optional<Credential>();
    if (o.exitCode != 0)
        return failure(verb, o);
    const QJsonDocument doc = QJsonDocument::fromJson(o.out);
    if (!doc.isObject())
        return error(ErrorCode::InvalidArgument, verb,
                     QStringLiteral("the answer for %1 is not a JSON object").arg(serverUrl));
    const QString username = doc.object().value(QStringLiteral("Username")).toString();
    const QString secret = doc.object().value(QStringLiteral("Secret")).toString();
    if (username.isEmpty() && secret.isEmpty())
        return std::optional<Credential>();
    if (username == kTokenUsername)
        return std::optional(Credential{QString(), secret, true});
    return std::optional(Credential{username, secret, false});
}

Status CredentialHelper::store(const QString &serverUrl, const Credential &c, int timeoutMs) const
{
    const QJsonObject request{
        {QStringLiteral("ServerURL"), serverUrl},
        {QStringLiteral("Username"), c.isIdentityToken ? QString(kTokenUsername) : c.username},
        {QStringLiteral("Secret"), c.secret},
    };
    const QString verb = QStringLiteral("store");
    PH_TRY(const Output o, run(verb, QJsonDocument(request).toJson(QJsonDocument::Compact), timeoutMs));
    if (o.exitCode != 0)
        return failure(verb, o);
    return {};
}

Status CredentialHelper::erase(const QString &serverUrl, int timeoutMs) const
{
    const QString verb = QStringLiteral("erase");
    PH_TRY(const Output o, run(verb, serverUrl.toUtf8(), timeoutMs));
    if (o.exitCode != 0 && o.notFound())
        return error(ErrorCode::NotFound, verb, QStringLiteral("nothing stored for %1").arg(serverUrl));
    if (o.exitCode != 0)
        return failure(verb, o);
    return {};
}

} // namespace porthole::registry
