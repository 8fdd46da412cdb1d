// The resource-limit flags of run/create and update, parsed as docker's CLI
// parses them (its sizes, decimals, ulimits and sentences), docker's daemon
// checks of the values, update's merge, and the record's JSON form.
#include "cli/args.h"
#include "cli/limitflags.h"
#include "cli/runflags.h"
#include "core/resourcelimits.h"

#include <QJsonArray>
#include <QTest>

using namespace porthole;
using namespace porthole::cli;

Q_DECLARE_METATYPE(porthole::ResourceLimits)

namespace {

constexpr qint64 MiB = 1024 * 1024;

ArgParser runParser()
{
    ArgParser p;
    declareRunFlags(p);
    p.setInterspersed(false);
    return p;
}

ArgParser updateParser()
{
    ArgParser p;
    updateCommands().first().declare(p);
    return p;
}

} // namespace

class TestRunArgs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sizes_data();
    void sizes();
    void cpus_data();
    void cpus();
    void ulimits_data();
    void ulimits();
    void runFlags();
    void flagErrors_data();
    void flagErrors();
    void helpShowsDockerTypes();
    void daemonChecks_data();
    void daemonChecks();
    void updateMerges();
    void updateVerbFlags();
    void recordRoundTrip();
    void formatsForTheCommandLine();
};

void TestRunArgs::sizes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bytes"); // -1: an error
    QTest::addColumn<QString>("error");
    QTest::newRow("64m") << "64m" << 64 * MiB << "";
    QTest::newRow("64M") << "64M" << 64 * MiB << "";
    QTest::newRow("64MB") << "64MB" << 64 * MiB << "";
    QTest::newRow("64MiB") << "64MiB" << 64 * MiB << "";
    QTest::newRow("1.5g") << "1.5g" << 3 * 512 * MiB << "";
    QTest::newRow("2 GB") << "2 GB" << 2048 * MiB << "";
    QTest::newRow("bytes") << "100" << qint64(100) << "";
    QTest::newRow("100b") << "100b" << qint64(100) << "";
    QTest::newRow("10k") << "10k" << qint64(10240) << "";
    QTest::newRow("word") << "foo" << qint64(-1) << "invalid size: 'foo'";
    QTest::newRow("negative") << "-1" << qint64(-1) << "invalid size: '-1'";
    QTest::newRow("bad suffix") << "10x" << qint64(-1) << "invalid suffix: 'x'";
    QTest::newRow("bb") << "10bb" << qint64(-1) << "invalid suffix: 'bb'";
    QTest::newRow("mx") << "10mx" << qint64(-1) << "invalid suffix: 'mx'";
    QTest::newRow("two dots") << "1.2.3m" << qint64(-1) << "strconv.ParseFloat: parsing \"1.2.3\": invalid syntax";
}

void TestRunArgs::sizes()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    QFETCH(QString, error);
    const Result<qint64> r = parseByteSize(text);
    if (bytes >= 0) {
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(*r, bytes);
    } else {
        QVERIFY(!r);
        QCOMPARE(r.error().message, error);
    }
}

void TestRunArgs::cpus_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("nanos");
    QTest::addColumn<QString>("error");
    QTest::newRow("1.5") << "1.5" << qint64(1500000000) << "";
    QTest::newRow("0.25") << "0.25" << qint64(250000000) << "";
    QTest::newRow("2") << "2" << qint64(2000000000) << "";
    QTest::newRow(".5") << ".5" << qint64(500000000) << "";
    QTest::newRow("fraction") << "3/2" << qint64(1500000000) << "";
    QTest::newRow("exponent") << "1e-3" << qint64(1000000) << "";
    QTest::newRow("nano") << "0.000000001" << qint64(1) << "";
    QTest::newRow("too precise") << "0.0000000001" << qint64(0) << "value is too precise";
    QTest::newRow("third") << "1/3" << qint64(0) << "value is too precise";
    QTest::newRow("word") << "abc" << qint64(0) << "failed to parse abc as a rational number";
    QTest::newRow("empty") << "" << qint64(0) << "failed to parse  as a rational number";
    QTest::newRow("negative") << "-1" << qint64(-1000000000) << "";
}

void TestRunArgs::cpus()
{
    QFETCH(QString, text);
    QFETCH(qint64, nanos);
    QFETCH(QString, error);
    const Result<qint64> r = parseNanoCpus(text);
    if (error.isEmpty()) {
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(*r, nanos);
    } else {
        QVERIFY(!r);
        QCOMPARE(r.error().message, error);
    }
}

void TestRunArgs::ulimits_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("parsed"); // name/soft/hard, or the error
    QTest::newRow("soft only") << "nofile=1024" << "nofile/1024/1024";
    QTest::newRow("soft:hard") << "nofile=1024:2048" << "nofile/1024/2048";
    QTest::newRow("unlimited") << "core=-1" << "core/-1/-1";
    QTest::newRow("unlimited hard") << "memlock=64:-1" << "memlock/64/-1";
    QTest::newRow("no =") << "nofile" << "invalid ulimit argument: nofile";
    QTest::newRow("unknown") << "as=1" << "invalid ulimit type: as";
    QTest::newRow("not a number") << "nofile=a" << "strconv.ParseInt: parsing \"a\": invalid syntax";
    QTest::newRow("three values") << "nofile=1:2:3" << "too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`";
    QTest::newRow("soft above hard") << "nofile=2048:1024" << "ulimit soft limit must be less than or equal to hard limit: 2048 > 1024";
    QTest::newRow("unlimited soft, finite hard") << "stack=-1:1024"
                                                 << "ulimit soft limit must be less than or equal to hard limit: unlimited > 1024";
}

void TestRunArgs::ulimits()
{
    QFETCH(QString, text);
    QFETCH(QString, parsed);
    const Result<Ulimit> u = parseUlimit(text);
    const QString got = u ? QStringLiteral("%1/%2/%3").arg(u->name).arg(u->soft).arg(u->hard) : u.error().message;
    QCOMPARE(got, parsed);
}

void TestRunArgs::runFlags()
{
    const ArgParser p = runParser();
    auto parsed = p.parse({"-m", "64m", "--memory-swap", "-1", "--cpus", "1.5", "-c", "512", "--pids-limit", "-1",
                           "--ulimit", "nofile=1024:2048", "--ulimit", "core=0", "--ulimit", "nofile=4096", "image"});
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    const ResourceLimits l = createRequestFromArgs(*parsed).limits;
    QCOMPARE(l.memory, 64 * MiB);
    QCOMPARE(l.memorySwap, qint64(-1));
    QCOMPARE(l.nanoCpus, qint64(1500000000));
    QCOMPARE(l.cpuShares, qint64(512));
    QCOMPARE(l.pidsLimit, qint64(0)); // docker's -1: unlimited
    // A later --ulimit of the same name replaces the earlier one in place.
    QCOMPARE(l.ulimits, (QList<Ulimit>{{"nofile", 4096, 4096}, {"core", 0, 0}}));

    // Nothing given: no limits but podman's pids limit.
    auto none = p.parse({"image"});
    QVERIFY(none);
    ResourceLimits expected;
    QCOMPARE(createRequestFromArgs(*none).limits, expected);
    QCOMPARE(createRequestFromArgs(*none).limits.pidsLimit, qint64(2048));
}

void TestRunArgs::flagErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("-m") << QStringList{"-m", "foo", "image"} << "invalid argument \"foo\" for \"-m, --memory\" flag: invalid size: 'foo'";
    QTest::newRow("--memory=") << QStringList{"--memory=12q", "image"}
                               << "invalid argument \"12q\" for \"-m, --memory\" flag: invalid suffix: 'q'";
    QTest::newRow("--memory-swap") << QStringList{"--memory-swap", "-2", "image"}
                                   << "invalid argument \"-2\" for \"--memory-swap\" flag: invalid size: '-2'";
    QTest::newRow("--cpus") << QStringList{"--cpus", "lots", "image"}
                            << "invalid argument \"lots\" for \"--cpus\" flag: failed to parse lots as a rational number";
    QTest::newRow("--cpu-shares") << QStringList{"--cpu-shares", "x", "image"}
                                  << "invalid argument \"x\" for \"-c, --cpu-shares\" flag: strconv.ParseInt: parsing \"x\": invalid syntax";
    QTest::newRow("--pids-limit") << QStringList{"--pids-limit", "many", "image"}
                                  << "invalid argument \"many\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"many\": invalid syntax";
    QTest::newRow("--ulimit type") << QStringList{"--ulimit", "files=10", "image"}
                                   << "invalid argument \"files=10\" for \"--ulimit\" flag: invalid ulimit type: files";
    QTest::newRow("--ulimit order") << QStringList{"--ulimit", "nofile=10:5", "image"}
                                    << "invalid argument \"nofile=10:5\" for \"--ulimit\" flag: ulimit soft limit must be less than or "
                                       "equal to hard limit: 10 > 5";
}

void TestRunArgs::flagErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    const auto parsed = runParser().parse(args);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().message, error);
    QCOMPARE(parsed.error().code, ErrorCode::InvalidArgument);
}

void TestRunArgs::helpShowsDockerTypes()
{
    const QString help = runParser().helpText("porthole run [OPTIONS] IMAGE", "Run");
    for (const char *line : {"  -m, --memory bytes ", "      --memory-swap bytes ", "      --cpus decimal ", "  -c, --cpu-shares int ",
                             "      --ulimit ulimit ", "(set -1 for unlimited) (default 2048)"})
        QVERIFY2(help.contains(QLatin1String(line)), qPrintable(help));
}

void TestRunArgs::daemonChecks_data()
{
    QTest::addColumn<ResourceLimits>("limits");
    QTest::addColumn<QString>("error");
    auto l = [](qint64 memory, qint64 swap, qint64 nanos, qint64 shares) {
        ResourceLimits r;
        r.memory = memory;
        r.memorySwap = swap;
        r.nanoCpus = nanos;
        r.cpuShares = shares;
        return r;
    };
    QTest::newRow("fine") << l(64 * MiB, 128 * MiB, 1500000000, 512) << "";
    QTest::newRow("defaults") << ResourceLimits() << "";
    QTest::newRow("swap -1") << l(64 * MiB, -1, 0, 0) << "";
    QTest::newRow("min memory") << l(5 * MiB, 0, 0, 0) << "Minimum memory limit allowed is 6MB";
    QTest::newRow("swap below memory") << l(64 * MiB, 32 * MiB, 0, 0)
                                       << "Minimum memoryswap limit should be larger than memory limit, see usage";
    QTest::newRow("swap alone") << l(0, 64 * MiB, 0, 0) << "You should always set the Memory limit when using Memoryswap limit, see usage";
    QTest::newRow("too many CPUs") << l(0, 0, 5 * kNanosPerCpu, 0)
                                   << "Range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available";
    QTest::newRow("too few CPUs") << l(0, 0, 1000000, 0) << "Range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available";
    QTest::newRow("negative CPUs") << l(0, 0, -kNanosPerCpu, 0)
                                   << "Range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available";
    QTest::newRow("negative shares") << l(0, 0, 0, -5) << "invalid CPU shares -5: use 2 to 262144 (the default is 1024)";
}

void TestRunArgs::daemonChecks()
{
    QFETCH(ResourceLimits, limits);
    QFETCH(QString, error);
    const Status st = validateLimits(limits, 4);
    QCOMPARE(st ? QString() : st.error().message, error);
}

void TestRunArgs::updateMerges()
{
    ResourceLimits current;
    current.memory = 64 * MiB; // swap: docker's default, 128m
    current.cpuShares = 512;
    LimitsUpdate u;
    u.memory = 256 * MiB;
    auto r = updatedLimits(current, u, 2);
    QVERIFY(!r);
    QCOMPARE(r.error().message, QStringLiteral("Memory limit should be smaller than already set memoryswap limit, "
                                               "update the memoryswap at the same time"));
    u.memorySwap = 512 * MiB;
    u.nanoCpus = 500000000;
    u.pidsLimit = -1;
    r = updatedLimits(current, u, 2);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->memory, 256 * MiB);
    QCOMPARE(r->memorySwap, 512 * MiB);
    QCOMPARE(r->nanoCpus, qint64(500000000));
    QCOMPARE(r->cpuShares, qint64(512)); // not given: kept
    QCOMPARE(r->pidsLimit, qint64(0));
    // Within the swap limit -m alone is fine; the checks still apply.
    LimitsUpdate smaller;
    smaller.memory = 100 * MiB;
    QVERIFY(updatedLimits(current, smaller, 2));
    smaller.memory = 1 * MiB;
    QCOMPARE(updatedLimits(current, smaller, 2).error().message, QStringLiteral("Minimum memory limit allowed is 6MB"));
}

void TestRunArgs::updateVerbFlags()
{
    const ArgParser p = updateParser();
    // update has no --ulimit and no default pids limit (only what is given changes).
    QVERIFY(!p.parse({"--ulimit", "nofile=1", "c"}));
    auto parsed = p.parse({"-m", "128m", "--cpus", "0.5", "c1", "c2"});
    QVERIFY(parsed);
    QVERIFY(!parsed->isSet("pids-limit"));
    QCOMPARE(parsed->positional, (QStringList{"c1", "c2"}));
}

void TestRunArgs::recordRoundTrip()
{
    ResourceLimits l;
    l.memory = 64 * MiB;
    l.memorySwap = -1;
    l.nanoCpus = 1500000000;
    l.cpuShares = 512;
    l.pidsLimit = 0;
    l.ulimits = {{"nofile", 1024, 2048}, {"core", -1, -1}};
    const QJsonObject o = l.toJson();
    QCOMPARE(o.value("Memory").toInteger(), 64 * MiB);
    QCOMPARE(o.value("NanoCpus").toInteger(), qint64(1500000000));
    QCOMPARE(o.value("Ulimits").toArray().first().toObject().value("Name").toString(), QStringLiteral("nofile"));
    QCOMPARE(ResourceLimits::fromJson(o), l);
    // A record from before limits existed gets podman's pids limit and nothing else.
    QCOMPARE(ResourceLimits::fromJson(QJsonObject()), ResourceLimits());
    QCOMPARE(ResourceLimits::fromJson(QJsonObject()).pidsLimit, kDefaultPidsLimit);
}

void TestRunArgs::formatsForTheCommandLine()
{
    QCOMPARE(formatByteSize(64 * MiB), QStringLiteral("64m"));
    QCOMPARE(formatByteSize(2048 * MiB), QStringLiteral("2g"));
    QCOMPARE(formatByteSize(1536 * 1024), QStringLiteral("1536k"));
    QCOMPARE(formatByteSize(1000), QStringLiteral("1000"));
    QCOMPARE(formatNanoCpus(1500000000), QStringLiteral("1.5"));
    QCOMPARE(formatNanoCpus(2000000000), QStringLiteral("2"));
    QCOMPARE(formatNanoCpus(10000000), QStringLiteral("0.01"));
    QCOMPARE(formatUlimit({"nofile", 1024, 2048}), QStringLiteral("nofile=1024:2048"));
    QCOMPARE(formatUlimit({"core", 0, 0}), QStringLiteral("core=0"));
    // What the formats print parses back to the same value.
    QCOMPARE(*parseByteSize(formatByteSize(1536 * 1024)), qint64(1536 * 1024));
    QCOMPARE(*parseNanoCpus(formatNanoCpus(10000000)), qint64(10000000));
}

QTEST_GUILESS_MAIN(TestRunArgs)
#include "tst_runargs.moc"
