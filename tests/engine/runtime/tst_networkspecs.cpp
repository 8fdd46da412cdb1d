// Container networking without a network: the names of the modes, docker's
// -p forms, and the resolv.conf each mode gives. (tst_network runs the real
// thing: namespaces and slirp4netns.)
#include "runtime/network.h"

#include <QTest>

using namespace porthole;
using namespace porthole::runtime;

namespace {

PortMapping pm(const char *ip, quint16 host, quint16 container, const char *proto = "tcp")
{
    PortMapping m;
    m.hostIp = QString::fromLatin1(ip);
    m.hostPort = host;
    m.containerPort = container;
    m.proto = QString::fromLatin1(proto);
    return m;
}

} // namespace

class TestNetworkSpecs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void networkModes_data();
    void networkModes();
    void portSpecs_data();
    void portSpecs();
    void resolvConf();
};

void TestNetworkSpecs::networkModes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("mode"); // -1: error
    QTest::newRow("private") << "private" << int(NetworkMode::Private);
    QTest::newRow("bridge") << "bridge" << int(NetworkMode::Private);
    QTest::newRow("slirp4netns") << "slirp4netns" << int(NetworkMode::Private);
    QTest::newRow("default") << "default" << int(NetworkMode::Private);
    QTest::newRow("host") << "host" << int(NetworkMode::Host);
    QTest::newRow("none") << "none" << int(NetworkMode::None);
    QTest::newRow("container:") << "container:abc" << -1;
    QTest::newRow("upper case") << "HOST" << -1;
    QTest::newRow("empty") << "" << -1;
}

void TestNetworkSpecs::networkModes()
{
    QFETCH(QString, name);
    QFETCH(int, mode);
    auto r = parseNetworkMode(name);
    if (mode < 0) {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(r.error().message.contains(QStringLiteral("\"%1\"").arg(name)), qPrintable(r.error().message));
        QVERIFY(r.error().message.contains(QStringLiteral("private")));
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(int(*r), mode);
    QCOMPARE(parseNetworkMode(networkModeName(*r)).valueOr(NetworkMode::None), *r);
}

void TestNetworkSpecs::portSpecs_data()
{
    QTest::addColumn<QStringList>("specs");
    QTest::addColumn<QList<PortMapping>>("expected");
    QTest::addColumn<QString>("error"); // a fragment of the message, empty if valid

    const QList<PortMapping> none;
    QTest::newRow("container only") << QStringList{"80"} << QList{pm("0.0.0.0", 0, 80)} << "";
    QTest::newRow("host:container") << QStringList{"8080:80"} << QList{pm("0.0.0.0", 8080, 80)} << "";
    QTest::newRow("udp") << QStringList{"8080:80/udp"} << QList{pm("0.0.0.0", 8080, 80, "udp")} << "";
    QTest::newRow("proto case") << QStringList{"53/UDP"} << QList{pm("0.0.0.0", 0, 53, "udp")} << "";
    QTest::newRow("ip:host:container") << QStringList{"127.0.0.1:8080:80"} << QList{pm("127.0.0.1", 8080, 80)} << "";
    QTest::newRow("ip::container") << QStringList{"127.0.0.1::80"} << QList{pm("127.0.0.1", 0, 80)} << "";
    QTest::newRow("host 0 is any") << QStringList{"0:80"} << QList{pm("0.0.0.0", 0, 80)} << "";
    QTest::newRow("ranges") << QStringList{"8000-8001:80-81"}
                            << QList{pm("0.0.0.0", 8000, 80), pm("0.0.0.0", 8001, 81)} << "";
    QTest::newRow("container range") << QStringList{"80-81/udp"}
                                     << QList{pm("0.0.0.0", 0, 80, "udp"), pm("0.0.0.0", 0, 81, "udp")} << "";
    QTest::newRow("several specs") << QStringList{"8080:80", "8080:80/udp", "127.0.0.1:9090:90"}
                                   << QList{pm("0.0.0.0", 8080, 80), pm("0.0.0.0", 8080, 80, "udp"),
                                            pm("127.0.0.1", 9090, 90)}
                                   << "";
    QTest::newRow("same port, other ips") << QStringList{"127.0.0.1:80:80", "127.0.0.2:80:81"}
                                          << QList{pm("127.0.0.1", 80, 80), pm("127.0.0.2", 80, 81)} << "";
    QTest::newRow("empty list") << QStringList{} << none << "";

    QTest::newRow("not a number") << QStringList{"80x"} << none << "container port \"80x\" is not a port";
    QTest::newRow("plus sign") << QStringList{"+80"} << none << "container port \"+80\" is not a port";
    QTest::newRow("container 0") << QStringList{"8080:0"} << none << "container port \"0\" is not a port";
    QTest::newRow("too big") << QStringList{"65536:80"} << none << "host port \"65536\" is not a port";
    QTest::newRow("missing container") << QStringList{"8080:"} << none << "the container port is missing";
    QTest::newRow("empty spec") << QStringList{""} << none << "the container port is missing";
    QTest::newRow("bad ip") << QStringList{"300.1.1.1:80:80"} << none
                            << "host address \"300.1.1.1\" is not an IPv4 address";
    QTest::newRow("hostname") << QStringList{"localhost:80:80"} << none << "\"localhost\" is not an IPv4";
    QTest::newRow("ipv6 brackets") << QStringList{"[::1]:80:80"} << none << "IPv6 host addresses are not supported";
    QTest::newRow("ipv6 bare") << QStringList{"::1:80:80"} << none << "IPv6 host addresses are not supported";
    QTest::newRow("sctp") << QStringList{"80/sctp"} << none << "protocol sctp is not supported";
    QTest::newRow("unknown proto") << QStringList{"80/icmp"} << none << "unknown protocol \"icmp\"";
    QTest::newRow("reversed range") << QStringList{"81-80"} << none << "container port range \"81-80\" ends before";
    QTest::newRow("range lengths") << QStringList{"8000-8002:80-81"} << none
                                   << "host range 8000-8002 has 3 ports but container range 80-81 has 2";
    QTest::newRow("host range, one port") << QStringList{"8000-8001:80"} << none
                                          << "host range 8000-8001 has 2 ports but container range 80 has 1";
    QTest::newRow("published twice") << QStringList{"8080:80", "8080:81"} << none
                                     << "port spec \"8080:81\": host port 8080/tcp is already published by \"8080:80\"";
    QTest::newRow("any ip overlaps") << QStringList{"127.0.0.1:8080:80", "8079-8080:79-80"} << none
                                     << "host port 8080/tcp is already published";
}

void TestNetworkSpecs::portSpecs()
{
    QFETCH(QStringList, specs);
    QFETCH(QList<PortMapping>, expected);
    QFETCH(QString, error);
    auto r = parsePortSpecs(specs);
    if (!error.isEmpty()) {
        QVERIFY2(!r.ok(), "accepted an invalid spec");
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
        QVERIFY2(r.error().message.startsWith(QStringLiteral("port spec \"")), qPrintable(r.error().message));
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(r->size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(r->at(i) == expected[i], qPrintable(formatPortMapping(r->at(i)) + " != " + formatPortMapping(expected[i])));
}

void TestNetworkSpecs::resolvConf()
{
    const QByteArray host = "# generated\nnameserver 127.0.0.53\nsearch example.org lan\n"
                            "options edns0 trust-ad\nnameserver 192.168.1.1";
    QCOMPARE(resolvConfFor(NetworkMode::Private, host),
             QByteArray("nameserver 10.0.2.3\nsearch example.org lan\noptions edns0 trust-ad\n"));
    QCOMPARE(resolvConfFor(NetworkMode::None, host), QByteArray("search example.org lan\noptions edns0 trust-ad\n"));
    QCOMPARE(resolvConfFor(NetworkMode::Host, host), host + '\n');
    QCOMPARE(resolvConfFor(NetworkMode::Private, {}), QByteArray("nameserver 10.0.2.3\n"));
    QCOMPARE(resolvConfFor(NetworkMode::Private, "search\tcorp\n"), QByteArray("nameserver 10.0.2.3\nsearch\tcorp\n"));
}

QTEST_GUILESS_MAIN(TestNetworkSpecs)
#include "tst_networkspecs.moc"
