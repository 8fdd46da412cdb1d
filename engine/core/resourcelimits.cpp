#include "core/resourcelimits.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <limits>
#include <sched.h>
#include <unistd.h>

namespace porthole {

namespace {

Error invalid(const QString &message) { return Error(ErrorCode::InvalidArgument, message); }

// Go's strconv error sentences, which docker prints as they are.
QString syntaxError(const char *fn, const QString &s)
{
    return QStringLiteral("strconv.%1: parsing \"%2\": invalid syntax").arg(QLatin1String(fn), s);
}

// Go's ParseFloat for the decimal forms a size uses.
std::optional<double> parseGoFloat(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$"));
    if (!re.match(s).hasMatch())
        return std::nullopt;
    return s.toDouble();
}

Result<qint64> parseGoInt10(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[+-]?\\d+$"));
    bool ok = false;
    const qint64 v = s.toLongLong(&ok);
    if (!re.match(s).hasMatch())
        return invalid(syntaxError("ParseInt", s));
    if (!ok)
        return invalid(QStringLiteral("strconv.ParseInt: parsing \"%1\": value out of range").arg(s));
    return v;
}

// Saturating a * 10^e for the nano-CPU arithmetic: anything this large is
// out of docker's range anyway.
qint64 scaleSaturated(__int128 v, int e)
{
    const __int128 cap = std::numeric_limits<qint64>::max();
    for (; e > 0 && v <= cap; --e)
        v *= 10;
    return v > cap ? std::numeric_limits<qint64>::max() : qint64(v);
}

} // namespace

QJsonObject ResourceLimits::toJson() const
{
    QJsonArray list;
    for (const Ulimit &u : ulimits)
        list.append(QJsonObject{{QStringLiteral("Name"), u.name},
                                {QStringLiteral("Soft"), double(u.soft)},
                                {QStringLiteral("Hard"), double(u.hard)}});
    return QJsonObject{{QStringLiteral("Memory"), double(memory)},
                       {QStringLiteral("MemorySwap"), double(memorySwap)},
                       {QStringLiteral("NanoCpus"), double(nanoCpus)},
                       {QStringLiteral("CpuShares"), double(cpuShares)},
                       {QStringLiteral("PidsLimit"), double(pidsLimit)},
                       {QStringLiteral("Ulimits"), list}};
}

ResourceLimits ResourceLimits::fromJson(const QJsonObject &o)
{
    ResourceLimits l;
    l.memory = o.value(QStringLiteral("Memory")).toInteger(0);
    l.memorySwap = o.value(QStringLiteral("MemorySwap")).toInteger(0);
    l.nanoCpus = o.value(QStringLiteral("NanoCpus")).toInteger(0);
    l.cpuShares = o.value(QStringLiteral("CpuShares")).toInteger(0);
    l.pidsLimit = normalizedPidsLimit(o.value(QStringLiteral("PidsLimit")).toInteger(kDefaultPidsLimit));
    for (const QJsonValue &v : o.value(QStringLiteral("Ulimits")).toArray()) {
        const QJsonObject u = v.toObject();
        l.ulimits.append({u.value(QStringLiteral("Name")).toString(), u.value(QStringLiteral("Soft")).toInteger(),
                          u.value(QStringLiteral("Hard")).toInteger()});
    }
    return l;
}

// go-units parseSize (v0.5): the number ends at the last digit, dot or blank.
Result<qint64> parseByteSize(const QString &text)
{
    const QString bad = QStringLiteral("invalid size: '%1'").arg(text);
    qsizetype sep = -1;
    for (qsizetype i = text.size() - 1; i >= 0 && sep < 0; --i) {
        if (text[i].isDigit() || text[i] == u'.' || text[i] == u' ')
            sep = i;
    }
    if (sep < 0)
        return invalid(bad);
    const QString num = text[sep] == u' ' ? text.left(sep) : text.left(sep + 1);
    QString suffix = text.mid(sep + 1).toLower();
    const std::optional<double> size = parseGoFloat(num);
    if (!size)
        return invalid(syntaxError("ParseFloat", num));
    if (*size < 0)
        return invalid(bad);
    double bytes = *size;
    const QString badSuffix = QStringLiteral("invalid suffix: '%1'").arg(suffix);
    if (!suffix.isEmpty()) {
        if (suffix.size() > 3)
            return invalid(badSuffix);
        const qsizetype power = QStringLiteral("bkmgtp").indexOf(suffix[0]);
        if (power < 0 || (power == 0 && suffix.size() > 1))
            return invalid(badSuffix);
        if ((suffix.size() == 2 && suffix[1] != u'b') || (suffix.size() == 3 && suffix.mid(1) != QLatin1String("ib")))
            return invalid(badSuffix);
        for (qsizetype i = 0; i < power; ++i)
            bytes *= 1024;
    }
    if (bytes >= 9.2e18)
        return invalid(bad);
    return qint64(bytes);
}

Result<qint64> parseMemorySwap(const QString &text)
{
    if (text == QLatin1String("-1"))
        return qint64(-1);
    return parseByteSize(text);
}

// big.Rat's SetString for the forms people type, then docker's "value is too
// precise" when the result is not a whole number of nano CPUs.
Result<qint64> parseNanoCpus(const QString &text)
{
    const QString bad = QStringLiteral("failed to parse %1 as a rational number").arg(text);
    static const QRegularExpression fraction(QStringLiteral("^([+-]?\\d{1,18})/(\\d{1,18})$"));
    static const QRegularExpression decimal(QStringLiteral("^([+-]?)(\\d*)(?:\\.(\\d*))?(?:[eE]([+-]?\\d{1,4}))?$"));
    if (const auto m = fraction.match(text); m.hasMatch()) {
        const __int128 num = __int128(m.captured(1).toLongLong()) * kNanosPerCpu;
        const __int128 den = m.captured(2).toLongLong();
        if (den == 0)
            return invalid(bad);
        if (num % den != 0)
            return invalid(QStringLiteral("value is too precise"));
        const __int128 v = num / den;
        return v > std::numeric_limits<qint64>::max() ? std::numeric_limits<qint64>::max()
            : v < -std::numeric_limits<qint64>::max() ? -std::numeric_limits<qint64>::max()
                                                       : qint64(v);
    }
    const auto m = decimal.match(text);
    QString digits = m.captured(2) + m.captured(3);
    if (!m.hasMatch() || digits.isEmpty())
        return invalid(bad);
    int exponent = 9 + m.captured(4).toInt() - int(m.captured(3).size());
    while (digits.size() > 1 && digits.startsWith(u'0'))
        digits.remove(0, 1);
    while (exponent < 0 && digits.endsWith(u'0')) {
        digits.chop(1);
        ++exponent;
    }
    if (exponent < 0 && digits != QLatin1String("0"))
        return invalid(QStringLiteral("value is too precise"));
    const qint64 magnitude = digits.size() > 19 ? std::numeric_limits<qint64>::max()
                                                : scaleSaturated(digits.toULongLong(), qMax(0, exponent));
    return m.captured(1) == QLatin1String("-") ? -magnitude : magnitude;
}

qint64 normalizedPidsLimit(qint64 value) { return value < 0 ? 0 : value; }

QStringList ulimitNames()
{
    // go-units' ulimitNameMapping ("as" is left out there too).
    return {QStringLiteral("core"),   QStringLiteral("cpu"),     QStringLiteral("data"),     QStringLiteral("fsize"),
            QStringLiteral("locks"),  QStringLiteral("memlock"), QStringLiteral("msgqueue"), QStringLiteral("nice"),
            QStringLiteral("nofile"), QStringLiteral("nproc"),   QStringLiteral("rss"),      QStringLiteral("rtprio"),
            QStringLiteral("rttime"), QStringLiteral("sigpending"), QStringLiteral("stack")};
}

// go-units ParseUlimit, with its sentences.
Result<Ulimit> parseUlimit(const QString &text)
{
    const qsizetype eq = text.indexOf(u'=');
    if (eq < 0)
        return invalid(QStringLiteral("invalid ulimit argument: %1").arg(text));
    Ulimit u;
    u.name = text.left(eq);
    if (!ulimitNames().contains(u.name))
        return invalid(QStringLiteral("invalid ulimit type: %1").arg(u.name));
    const QString values = text.mid(eq + 1);
    const QStringList parts = values.split(u':');
    if (parts.size() > 2)
        return invalid(QStringLiteral("too many limit value arguments - %1, can only have up to two, `soft[:hard]`").arg(values));
    if (parts.size() == 2) {
        PH_TRY(u.hard, parseGoInt10(parts[1]));
    }
    PH_TRY(u.soft, parseGoInt10(parts[0]));
    if (parts.size() == 1)
        u.hard = u.soft;
    // Below docker's checks: what setrlimit would refuse later.
    if (u.soft < -1 || u.hard < -1)
        return invalid(QStringLiteral("ulimit values must be -1 (unlimited) or at least 0: %1").arg(values));
    if (u.hard != -1 && (u.soft > u.hard || u.soft == -1))
        return invalid(QStringLiteral("ulimit soft limit must be less than or equal to hard limit: %1 > %2")
                           .arg(u.soft == -1 ? QStringLiteral("unlimited") : QString::number(u.soft))
                           .arg(u.hard));
    return u;
}

void setUlimit(QList<Ulimit> &ulimits, const Ulimit &u)
{
    for (Ulimit &existing : ulimits) {
        if (existing.name == u.name) {
            existing = u;
            return;
        }
    }
    ulimits.append(u);
}

QString formatByteSize(qint64 bytes)
{
    const char units[] = {'g', 'm', 'k'};
    for (int i = 0; i < 3; ++i) {
        const qint64 unit = qint64(1) << (10 * (3 - i));
        if (bytes > 0 && bytes % unit == 0)
            return QString::number(bytes / unit) + QLatin1Char(units[i]);
    }
    return QString::number(bytes);
}

QString formatNanoCpus(qint64 nanoCpus)
{
    QString frac = QStringLiteral("%1").arg(qAbs(nanoCpus) % kNanosPerCpu, 9, 10, QLatin1Char('0'));
    while (frac.endsWith(u'0'))
        frac.chop(1);
    const QString whole = QString::number(qAbs(nanoCpus) / kNanosPerCpu);
    return (nanoCpus < 0 ? QStringLiteral("-") : QString()) + whole + (frac.isEmpty() ? QString() : u'.' + frac);
}

QString formatUlimit(const Ulimit &u)
{
    return u.soft == u.hard ? QStringLiteral("%1=%2").arg(u.name).arg(u.soft)
                            : QStringLiteral("%1=%2:%3").arg(u.name).arg(u.soft).arg(u.hard);
}

// moby daemon/daemon_unix.go verifyPlatformContainerResources, the checks
// that apply here, in its order and words.
Status validateLimits(const ResourceLimits &l, int hostCpus)
{
    if (l.memory != 0 && l.memory < kMinMemoryLimit)
        return invalid(QStringLiteral("Minimum memory limit allowed is 6MB"));
    if (l.memory > 0 && l.memorySwap > 0 && l.memorySwap < l.memory)
        return invalid(QStringLiteral("Minimum memoryswap limit should be larger than memory limit, see usage"));
    if (l.memory == 0 && l.memorySwap > 0)
        return invalid(QStringLiteral("You should always set the Memory limit when using Memoryswap limit, see usage"));
    // Docker leaves the lower bound to the kernel (cfs_quota_us >= 1000 at
    // the 100 ms period), whose EINVAL says less than its own sentence.
    if (l.nanoCpus < 0 || l.nanoCpus > qint64(hostCpus) * kNanosPerCpu || (l.nanoCpus > 0 && l.nanoCpus < kNanosPerCpu / 100))
        return invalid(QStringLiteral("Range of CPUs is from 0.01 to %1.00, as there are only %1 CPUs available").arg(hostCpus));
    if (l.cpuShares < 0)
        return invalid(QStringLiteral("invalid CPU shares %1: use 2 to 262144 (the default is 1024)").arg(l.cpuShares));
    return {};
}

Result<ResourceLimits> updatedLimits(const ResourceLimits &current, const LimitsUpdate &update, int hostCpus)
{
    ResourceLimits r = current;
    if (update.memory) {
        // moby container/container_unix.go UpdateContainer.
        const qint64 swap = current.effectiveMemorySwap();
        if (swap > 0 && *update.memory > swap && !update.memorySwap)
            return Error(ErrorCode::FailedPrecondition,
                         QStringLiteral("Memory limit should be smaller than already set memoryswap limit, "
                                        "update the memoryswap at the same time"));
        r.memory = *update.memory;
    }
    if (update.memorySwap)
        r.memorySwap = *update.memorySwap;
    if (update.nanoCpus)
        r.nanoCpus = *update.nanoCpus;
    if (update.cpuShares)
        r.cpuShares = *update.cpuShares;
    if (update.pidsLimit)
        r.pidsLimit = normalizedPidsLimit(*update.pidsLimit);
    PH_CHECK(validateLimits(r, hostCpus));
    return r;
}

int hostCpuCount()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0)
        return qMax(1, CPU_COUNT(&set));
    return int(qMax(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
}

} // namespace porthole
