// create: the request merged with its image as docker merges them (command,
// Env, WorkingDir, User, StopSignal), every option checked, the host ports
// assigned, the layers unpacked, then the record written.
#include "container/containers.h"

#include "container/rowfor.h"
#include "container/signalname.h"
#include "layer/imagelayers.h"
#include "runtime/cgrouplimits.h"
#include "runtime/network.h"
#include "runtime/security.h"
#include "store/containerstore.h"
#include "store/fsutil.h"
#include "store/imagestore.h"
#include "store/store.h"
#include "store/volumename.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>

namespace porthole::container {

namespace {

Result<QStringList> readEnvFile(const QString &path)
{
    auto data = store::readFile(path, 1 << 20);
    if (!data)
        return data.error().context(QStringLiteral("read env file"));
    QStringList out;
    const QProcessEnvironment host = QProcessEnvironment::systemEnvironment();
    for (const QByteArray &raw : data->split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.contains(u'='))
            out.append(line);
        else if (host.contains(line))
            out.append(line + u'=' + host.value(line));
    }
    return out;
}

Result<store::MountSpec> parseVolume(const QString &root, const QString &spec)
{
    const QStringList parts = spec.split(u':');
    if (parts.size() < 2 || parts.size() > 3 || parts[0].isEmpty() || parts[1].isEmpty())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("invalid volume specification: '%1' (expected SOURCE:DESTINATION[:ro])").arg(spec));
    if (!parts[1].startsWith(u'/'))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("invalid volume specification: '%1': the destination must be an absolute path").arg(spec));
    store::MountSpec m;
    m.destination = QDir::cleanPath(parts[1]);
    if (parts.size() == 3) {
        if (parts[2] != QLatin1String("ro") && parts[2] != QLatin1String("rw"))
            return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid mode: %1").arg(parts[2]));
        m.readOnly = parts[2] == QLatin1String("ro");
    }
    if (parts[0].startsWith(u'/')) {
        m.type = QStringLiteral("bind");
        m.source = QDir::cleanPath(parts[0]);
        if (!QFileInfo::exists(m.source))
            PH_CHECK(store::makeDirs(m.source)); // docker creates a missing bind source
    } else {
        PH_CHECK(store::checkVolumeName(parts[0]));
        m.type = QStringLiteral("volume");
        m.source = store::volumeDataDir(root, parts[0]); // made by ContainerStore::create
    }
    return m;
}

// The command: the image's ENTRYPOINT and CMD, or what the request gives.
Status resolveCommand(store::ContainerConfig &c, const CreateRequest &request, const ImageConfig &image)
{
    QStringList entrypoint = image.entrypoint();
    QStringList cmd = request.command.isEmpty() ? image.cmd() : request.command;
    if (request.entrypoint) {
        entrypoint = request.entrypoint->isEmpty() ? QStringList() : QStringList{*request.entrypoint};
        cmd = request.command; // an overridden entrypoint drops the image's CMD, as docker
    }
    const QStringList argv = entrypoint + cmd;
    if (argv.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("No command specified"));
    c.path = argv.first();
    c.args = argv.mid(1);
    return {};
}

// Env: the image's, then --env-file, then -e; a bare KEY takes the caller's
// value (and is dropped when the caller has none).
Status resolveEnvironment(store::ContainerConfig &c, const CreateRequest &request, const ImageConfig &image)
{
    QStringList env = request.env;
    for (const QString &file : request.envFiles) {
        PH_TRY(const QStringList fromFile, readEnvFile(file));
        env = fromFile + env;
    }
    const QProcessEnvironment host = QProcessEnvironment::systemEnvironment();
    for (QString &e : env) {
        if (!e.contains(u'='))
            e = host.contains(e) ? e + u'=' + host.value(e) : QString();
    }
    env.removeAll(QString());
    QStringList base = image.env();
    if (base.isEmpty())
        base = {QStringLiteral("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")};
    c.env = mergeEnvironment(base, env);
    if (c.tty && !std::any_of(c.env.begin(), c.env.end(), [](const QString &e) { return e.startsWith(QLatin1String("TERM=")); }))
        c.env.append(QStringLiteral("TERM=xterm"));
    return {};
}

// The network mode by its canonical name, and -p with the host ports assigned.
Status resolveNetwork(store::ContainerConfig &c)
{
    PH_TRY(const runtime::NetworkMode mode,
           runtime::parseNetworkMode(c.networkMode.isEmpty() ? QStringLiteral("private") : c.networkMode));
    c.networkMode = runtime::networkModeName(mode);
    const QStringList specs = c.ports;
    c.ports.clear();
    if (specs.isEmpty())
        return {};
    if (mode != runtime::NetworkMode::Private)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("published ports need the private network; --network %1 cannot publish").arg(c.networkMode));
    PH_TRY(const QList<runtime::PortMapping> parsed, runtime::parsePortSpecs(specs));
    PH_TRY(const QList<runtime::PortMapping> assigned, runtime::assignHostPorts(parsed));
    for (const runtime::PortMapping &m : assigned)
        c.ports.append(QStringLiteral("%1:%2:%3/%4").arg(m.hostIp).arg(m.hostPort).arg(m.containerPort).arg(m.proto));
    return {};
}

// -v, --security-opt and --device, each checked as docker checks them.
Status resolveMountsAndSecurity(store::ContainerConfig &c, const CreateRequest &request, const QString &storeRoot)
{
    for (const QString &v : request.volumes) {
        PH_TRY(const store::MountSpec m, parseVolume(storeRoot, v));
        c.mounts.append(m);
    }
    PH_TRY(c.securityOpt, runtime::normalizeSecurityOpts(request.securityOpt));
    for (const QString &d : request.devices) {
        PH_TRY(const store::DeviceMapping m, runtime::parseDeviceMapping(d));
        PH_TRY(const QList<runtime::DeviceNode> nodes, runtime::resolveDeviceMapping(m)); // docker checks it at create too
        (void)nodes;
        c.devices.append(m);
    }
    return {};
}

} // namespace

Result<ContainerRow> Containers::create(const CreateRequest &request)
{
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    PH_TRY(const store::ResolvedImage found, images.resolve(request.image));
    const ImageConfig &imageConfig = found.image.config;

    store::ContainerConfig c;
    static_cast<ContainerOptions &>(c) = request; // then resolved below, against the image
    c.name = request.name;
    c.image = found.image.configDigest;
    c.imageManifest = found.image.descriptor.digest;
    c.imageName = request.image;
    c.diffIds = imageConfig.diffIds();
    c.imageConfig = imageConfig.containerConfig();
    PH_CHECK(resolveCommand(c, request, imageConfig));
    PH_CHECK(resolveEnvironment(c, request, imageConfig));
    if (c.workingDir.isEmpty())
        c.workingDir = imageConfig.workingDir();
    if (!c.workingDir.isEmpty() && !c.workingDir.startsWith(u'/'))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the working directory '%1' is invalid, it needs to be an absolute path").arg(c.workingDir));
    if (c.user.isEmpty())
        c.user = imageConfig.user();
    if (c.stopSignal.isEmpty())
        c.stopSignal = imageConfig.stopSignal();
    else
        PH_CHECK(signalNumber(c.stopSignal));
    PH_CHECK(resolveNetwork(c));
    PH_CHECK(resolveMountsAndSecurity(c, request, m_store->root()));
    PH_CHECK(runtime::checkLimitsForHost(c.limits));

    PH_CHECK(layer::ensureImageUnpacked(*m_store, found.image.configDigest.toString()));
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, containers.create(c));
    return rowFor(containers, record);
}

} // namespace porthole::container
