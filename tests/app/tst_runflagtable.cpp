// The run flags' one table (container/runflags.h): every flag the CLI
// parses is shown back by the command line the window prints, and that
// line parses to the same request, so the two cannot drift apart.
#include "cli/args.h"
#include "cli/runflags.h"
#include "container/runflags.h"
#include "service/clicommand.h"

#include <QTest>

using namespace porthole;
using namespace porthole::cli;

namespace {

ArgParser runParser()
{
    ArgParser p;
    declareRunFlags(p);
    p.setInterspersed(false);
    return p;
}

Result<service::CreateRequest> parse(const QStringList &args)
{
    PH_TRY(const ParsedArgs parsed, runParser().parse(args));
    return createRequestFromArgs(parsed);
}

} // namespace

class TestRunFlagTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyFlagRoundTrips();
    void defaultsShowNothing();
    void updateTakesTheLimitFlagsOnly();
};

void TestRunFlagTable::everyFlagRoundTrips()
{
    // One value for every row, away from its default.
    const QStringList given = {
        "-i", "-t", "--rm", "--name", "web", "-h", "box", "-u", "1000:1000", "-w", "/srv", "-e", "A=1", "-e", "B",
        "--env-file", "/tmp/env", "-v", "/data:/data:ro", "-p", "8080:80", "--network", "none", "--entrypoint", "",
        "--read-only", "--init", "--privileged", "--security-opt", "no-new-privileges", "--device", "/dev/null",
        "--stop-signal", "SIGUSR1", "-m", "64m", "--memory-swap", "-1", "--cpus", "1.5", "-c", "512",
        "--pids-limit", "100", "--ulimit", "nofile=1024:2048", "image", "cmd", "arg"};
    auto request = parse(given);
    QVERIFY2(request, qPrintable(request ? QString() : request.error().message));
    // Every row of the table was given a value and shows one back.
    for (const container::RunFlag &flag : container::runFlags())
        QVERIFY2(!flag.words(*request).isEmpty(), qPrintable(flag.longName));
    const QStringList shown = container::runFlagWords(*request);
    auto again = parse(shown + QStringList{"image", "cmd", "arg"});
    QVERIFY2(again, qPrintable(again ? QString() : again.error().message));
    QCOMPARE(container::runFlagWords(*again), shown);
    QCOMPARE(again->stopSignal, QStringLiteral("SIGUSR1"));
    QCOMPARE(again->limits.pidsLimit, qint64(100));
    QVERIFY(again->entrypoint && again->entrypoint->isEmpty());
    QCOMPARE(service::cliCommand(*again),
             QStringLiteral("porthole run -d -i -t --rm --name web --hostname box --user 1000:1000 --workdir /srv -e A=1 -e B "
                            "--env-file /tmp/env -v /data:/data:ro -p 8080:80 --network none --entrypoint '' --read-only "
                            "--init --privileged --security-opt no-new-privileges --device /dev/null --stop-signal SIGUSR1 "
                            "-m 64m --memory-swap -1 --cpus 1.5 --cpu-shares 512 --pids-limit 100 --ulimit nofile=1024:2048 "
                            "image cmd arg"));
}

void TestRunFlagTable::defaultsShowNothing()
{
    auto request = parse({"image"});
    QVERIFY(request);
    QCOMPARE(container::runFlagWords(*request), QStringList());
    QCOMPARE(container::runFlagWords(service::CreateRequest()), QStringList());
}

void TestRunFlagTable::updateTakesTheLimitFlagsOnly()
{
    ArgParser p;
    declareRunFlags(p, RunFlagSet::Update);
    QVERIFY(p.parse({"-m", "64m", "--cpus", "2", "--pids-limit", "5", "c"}));
    auto refused = p.parse({"--name", "x", "c"});
    QVERIFY(!refused);
    QCOMPARE(refused.error().message, QStringLiteral("unknown flag: --name"));
}

QTEST_GUILESS_MAIN(TestRunFlagTable)
#include "tst_runflagtable.moc"
