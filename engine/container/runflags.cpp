#include "container/runflags.h"

#include "container/signalname.h"

namespace porthole::container {

namespace {

template <typename T>
std::function<Status(const QString &)> checkWith(Result<T> (*parse)(const QString &))
{
    return [parse](const QString &value) -> Status {
        if (auto r = parse(value); !r)
            return r.error();
        return {};
    };
}

RunFlag boolFlag(const QString &name, QChar shortName, const QString &help, bool CreateRequest::*member, const QString &shown)
{
    RunFlag f{name, shortName, RunFlag::Bool, {}, {}, help};
    f.apply = [member](CreateRequest &r, const QStringList &v) { r.*member = v.last() == QLatin1String("true"); };
    f.words = [member, shown](const CreateRequest &r) { return r.*member ? QStringList{shown} : QStringList(); };
    return f;
}

RunFlag stringFlag(const QString &name, QChar shortName, const QString &help, QString CreateRequest::*member, const QString &shown)
{
    RunFlag f{name, shortName, RunFlag::String, {}, QStringLiteral("string"), help};
    f.apply = [member](CreateRequest &r, const QStringList &v) { r.*member = v.last(); };
    f.words = [member, shown](const CreateRequest &r) {
        return (r.*member).isEmpty() ? QStringList() : QStringList{shown, r.*member};
    };
    return f;
}

RunFlag listFlag(const QString &name, QChar shortName, const QString &help, QStringList CreateRequest::*member, const QString &shown)
{
    RunFlag f{name, shortName, RunFlag::StringList, {}, QStringLiteral("list"), help};
    f.apply = [member](CreateRequest &r, const QStringList &v) { r.*member = v; };
    f.words = [member, shown](const CreateRequest &r) {
        QStringList out;
        for (const QString &value : r.*member)
            out << shown << value;
        return out;
    };
    return f;
}

// A size or decimal limit (-m, --memory-swap, --cpus): docker's value
// types, shown back in their canonical form when set.
RunFlag limitFlag(const QString &name, QChar shortName, const QString &valueName, const QString &help,
                  Result<qint64> (*parse)(const QString &), qint64 ResourceLimits::*member, const QString &shown,
                  QString (*format)(qint64))
{
    RunFlag f{name, shortName, RunFlag::String, {}, valueName, help, checkWith(parse)};
    f.apply = [parse, member](CreateRequest &r, const QStringList &v) { r.limits.*member = parse(v.last()).valueOr(0); };
    f.words = [member, shown, format](const CreateRequest &r) {
        const qint64 value = r.limits.*member;
        return value != 0 ? QStringList{shown, value < 0 ? QStringLiteral("-1") : format(value)} : QStringList();
    };
    f.alsoUpdate = true;
    return f;
}

QList<RunFlag> processFlags()
{
    RunFlag entrypoint{QStringLiteral("entrypoint"), QChar(), RunFlag::String, {}, QStringLiteral("string"),
                       QStringLiteral("Overwrite the default ENTRYPOINT of the image")};
    entrypoint.apply = [](CreateRequest &r, const QStringList &v) { r.entrypoint = v.last(); };
    entrypoint.words = [](const CreateRequest &r) {
        return r.entrypoint ? QStringList{QStringLiteral("--entrypoint"), *r.entrypoint} : QStringList();
    };
    RunFlag network = stringFlag(QStringLiteral("network"), QChar(), QStringLiteral("Connect a container to a network (private, host, none)"),
                                 &CreateRequest::networkMode, QStringLiteral("--network"));
    network.defaultValue = QStringLiteral("private");
    network.valueName = QStringLiteral("network");
    return {
        boolFlag(QStringLiteral("interactive"), u'i', QStringLiteral("Keep STDIN open even if not attached"), &CreateRequest::openStdin, QStringLiteral("-i")),
        boolFlag(QStringLiteral("tty"), u't', QStringLiteral("Allocate a pseudo-TTY"), &CreateRequest::tty, QStringLiteral("-t")),
        boolFlag(QStringLiteral("rm"), QChar(), QStringLiteral("Automatically remove the container when it exits"), &CreateRequest::autoRemove, QStringLiteral("--rm")),
        stringFlag(QStringLiteral("name"), QChar(), QStringLiteral("Assign a name to the container"), &CreateRequest::name, QStringLiteral("--name")),
        stringFlag(QStringLiteral("hostname"), u'h', QStringLiteral("Container host name"), &CreateRequest::hostname, QStringLiteral("--hostname")),
        stringFlag(QStringLiteral("user"), u'u', QStringLiteral("Username or UID (format: <name|uid>[:<group|gid>])"), &CreateRequest::user, QStringLiteral("--user")),
        stringFlag(QStringLiteral("workdir"), u'w', QStringLiteral("Working directory inside the container"), &CreateRequest::workingDir, QStringLiteral("--workdir")),
        listFlag(QStringLiteral("env"), u'e', QStringLiteral("Set environment variables"), &CreateRequest::env, QStringLiteral("-e")),
        listFlag(QStringLiteral("env-file"), QChar(), QStringLiteral("Read in a file of environment variables"), &CreateRequest::envFiles, QStringLiteral("--env-file")),
        listFlag(QStringLiteral("volume"), u'v', QStringLiteral("Bind mount a volume"), &CreateRequest::volumes, QStringLiteral("-v")),
        listFlag(QStringLiteral("publish"), u'p', QStringLiteral("Publish a container's port(s) to the host"), &CreateRequest::ports, QStringLiteral("-p")),
        network,
        entrypoint,
        boolFlag(QStringLiteral("read-only"), QChar(), QStringLiteral("Mount the container's root filesystem as read only"), &CreateRequest::readOnly, QStringLiteral("--read-only")),
        boolFlag(QStringLiteral("init"), QChar(), QStringLiteral("Run an init inside the container that forwards signals and reaps processes"), &CreateRequest::init, QStringLiteral("--init")),
    };
}

QList<RunFlag> securityFlags()
{
    RunFlag stopSignal = stringFlag(QStringLiteral("stop-signal"), QChar(), QStringLiteral("Signal to stop the container"),
                                    &CreateRequest::stopSignal, QStringLiteral("--stop-signal"));
    stopSignal.check = [](const QString &value) -> Status {
        if (auto n = signalNumber(value); !n)
            return n.error();
        return {};
    };
    return {
        boolFlag(QStringLiteral("privileged"), QChar(), QStringLiteral("Give extended privileges to this container"), &CreateRequest::privileged, QStringLiteral("--privileged")),
        listFlag(QStringLiteral("security-opt"), QChar(), QStringLiteral("Security Options (seccomp=unconfined|FILE.json, systempaths=unconfined, no-new-privileges)"),
                 &CreateRequest::securityOpt, QStringLiteral("--security-opt")),
        listFlag(QStringLiteral("device"), QChar(), QStringLiteral("Add a host device to the container"), &CreateRequest::devices, QStringLiteral("--device")),
        stopSignal,
    };
}

QList<RunFlag> limitFlags()
{
    RunFlag cpuShares{QStringLiteral("cpu-shares"), u'c', RunFlag::Int, {}, {}, QStringLiteral("CPU shares (relative weight)")};
    cpuShares.apply = [](CreateRequest &r, const QStringList &v) { r.limits.cpuShares = v.last().toLongLong(); };
    cpuShares.words = [](const CreateRequest &r) {
        return r.limits.cpuShares > 0 ? QStringList{QStringLiteral("--cpu-shares"), QString::number(r.limits.cpuShares)} : QStringList();
    };
    cpuShares.alsoUpdate = true;
    RunFlag pids{QStringLiteral("pids-limit"), QChar(), RunFlag::Int, QString::number(kDefaultPidsLimit), {},
                 QStringLiteral("Tune container pids limit (set -1 for unlimited)")};
    pids.apply = [](CreateRequest &r, const QStringList &v) { r.limits.pidsLimit = normalizedPidsLimit(v.last().toLongLong()); };
    pids.words = [](const CreateRequest &r) {
        const qint64 l = r.limits.pidsLimit;
        return l != kDefaultPidsLimit ? QStringList{QStringLiteral("--pids-limit"), QString::number(l > 0 ? l : -1)} : QStringList();
    };
    pids.alsoUpdate = true;
    RunFlag ulimit{QStringLiteral("ulimit"), QChar(), RunFlag::StringList, {}, QStringLiteral("ulimit"), QStringLiteral("Ulimit options"),
                   checkWith(parseUlimit)};
    ulimit.apply = [](CreateRequest &r, const QStringList &v) {
        for (const QString &text : v) {
            if (auto u = parseUlimit(text))
                setUlimit(r.limits.ulimits, *u);
        }
    };
    ulimit.words = [](const CreateRequest &r) {
        QStringList out;
        for (const Ulimit &u : r.limits.ulimits)
            out << QStringLiteral("--ulimit") << formatUlimit(u);
        return out;
    };
    return {
        limitFlag(QStringLiteral("memory"), u'm', QStringLiteral("bytes"), QStringLiteral("Memory limit"), parseByteSize,
                  &ResourceLimits::memory, QStringLiteral("-m"), formatByteSize),
        limitFlag(QStringLiteral("memory-swap"), QChar(), QStringLiteral("bytes"),
                  QStringLiteral("Swap limit equal to memory plus swap: '-1' to enable unlimited swap"), parseMemorySwap,
                  &ResourceLimits::memorySwap, QStringLiteral("--memory-swap"), formatByteSize),
        limitFlag(QStringLiteral("cpus"), QChar(), QStringLiteral("decimal"), QStringLiteral("Number of CPUs"), parseNanoCpus,
                  &ResourceLimits::nanoCpus, QStringLiteral("--cpus"), formatNanoCpus),
        cpuShares,
        pids,
        ulimit,
    };
}

} // namespace

const QList<RunFlag> &runFlags()
{
    static const QList<RunFlag> flags = processFlags() + securityFlags() + limitFlags();
    return flags;
}

QStringList runFlagWords(const CreateRequest &request)
{
    QStringList words;
    for (const RunFlag &flag : runFlags())
        words += flag.words(request);
    return words;
}

} // namespace porthole::container
