// Reference parsing must agree with docker (distribution/reference ParseNormalizedNamed):
// the rows below are largely taken from distribution's own test vectors.
#include "core/reference.h"

#include <QSet>
#include <QTest>

using namespace porthole;

namespace {

const QString kHex = QStringLiteral("dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c");
const QString kDigest = QStringLiteral("sha256:") + kHex;

} // namespace

class TestReference : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void dockerMessages();
    void nameLengthLimit();
    void isValidTag_data();
    void isValidTag();
    void defaultTagAndDockerRef();
    void withTagKeepsDigest();
    void withoutTagOrDigest();
    void equalityAndHash();
    void emptyReference();
};

void TestReference::parseValid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("digest");
    QTest::addColumn<QString>("normalized");
    QTest::addColumn<QString>("familiar");

    auto row = [](const char *input, const char *domain, const char *path, const QString &tag,
                  const QString &digest, const QString &normalized, const QString &familiar) {
        QTest::newRow(input) << QString::fromUtf8(input) << QString::fromUtf8(domain) << QString::fromUtf8(path)
                             << tag << digest << normalized << familiar;
    };
    const QString none;
    const QString d = kDigest;

    // Docker Hub short forms.
    row("ubuntu", "docker.io", "library/ubuntu", none, none, "docker.io/library/ubuntu", "ubuntu");
    row("ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", none, "docker.io/library/ubuntu:22.04",
        "ubuntu:22.04");
    row("user/app", "docker.io", "user/app", none, none, "docker.io/user/app", "user/app");
    row("user/app:v1", "docker.io", "user/app", "v1", none, "docker.io/user/app:v1", "user/app:v1");
    row("docker.io/ubuntu", "docker.io", "library/ubuntu", none, none, "docker.io/library/ubuntu", "ubuntu");
    row("docker.io/library/ubuntu", "docker.io", "library/ubuntu", none, none, "docker.io/library/ubuntu",
        "ubuntu");
    row("index.docker.io/debian", "docker.io", "library/debian", none, none, "docker.io/library/debian", "debian");
    row("index.docker.io/library/debian", "docker.io", "library/debian", none, none, "docker.io/library/debian",
        "debian");
    row("index.docker.io/docker/docker", "docker.io", "docker/docker", none, none, "docker.io/docker/docker",
        "docker/docker");
    // Only a single-level library/ name is shortened.
    row("library/foo/bar", "docker.io", "library/foo/bar", none, none, "docker.io/library/foo/bar",
        "library/foo/bar");
    row("docker.io/library/foo/bar", "docker.io", "library/foo/bar", none, none, "docker.io/library/foo/bar",
        "library/foo/bar");
    row("other/library", "docker.io", "other/library", none, none, "docker.io/other/library", "other/library");
    row("store/foo/bar", "docker.io", "store/foo/bar", none, none, "docker.io/store/foo/bar", "store/foo/bar");
    row("d/docker", "docker.io", "d/docker", none, none, "docker.io/d/docker", "d/docker");
    row("jess/t", "docker.io", "jess/t", none, none, "docker.io/jess/t", "jess/t");

    // localhost is a registry only when it is followed by a path.
    row("localhost/demo", "localhost", "demo", none, none, "localhost/demo", "localhost/demo");
    row("localhost:5000/demo:1", "localhost:5000", "demo", "1", none, "localhost:5000/demo:1",
        "localhost:5000/demo:1");
    row("localhost", "docker.io", "library/localhost", none, none, "docker.io/library/localhost", "localhost");
    row("localhost:5000", "docker.io", "library/localhost", "5000", none, "docker.io/library/localhost:5000",
        "localhost:5000");
    row("test.com:5000", "docker.io", "library/test.com", "5000", none, "docker.io/library/test.com:5000",
        "test.com:5000");

    // Registries: host names, IPv4, IPv6, ports, upper case in the host.
    row("127.0.0.1:5000/x/y", "127.0.0.1:5000", "x/y", none, none, "127.0.0.1:5000/x/y", "127.0.0.1:5000/x/y");
    row("192.168.0.1", "docker.io", "library/192.168.0.1", none, none, "docker.io/library/192.168.0.1",
        "192.168.0.1");
    row("192.168.0.1/repo", "192.168.0.1", "repo", none, none, "192.168.0.1/repo", "192.168.0.1/repo");
    row("192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", none, "192.168.1.1:5000/repo:5050",
        "192.168.1.1:5000/repo:5050");
    row("[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000", "repo", "tag", none, "[2001:db8::1]:5000/repo:tag",
        "[2001:db8::1]:5000/repo:tag");
    row("[::1]/repo", "[::1]", "repo", none, none, "[::1]/repo", "[::1]/repo");
    row("example.com/a/b/c/d", "example.com", "a/b/c/d", none, none, "example.com/a/b/c/d", "example.com/a/b/c/d");
    row("sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag", none,
        "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com/bar/baz/quux:some-long-tag");
    row("b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app",
        "test.example.com", none, "b.gcr.io/test.example.com/my-app:test.example.com",
        "b.gcr.io/test.example.com/my-app:test.example.com");
    row("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", none, none, "xn--n3h.com:18080/foo",
        "xn--n3h.com:18080/foo");
    row("test-com:8080/foo", "test-com:8080", "foo", none, none, "test-com:8080/foo", "test-com:8080/foo");
    row("EXAMPLE.com:5000/app", "EXAMPLE.com:5000", "app", none, none, "EXAMPLE.com:5000/app",
        "EXAMPLE.com:5000/app");
    // An upper-case first component cannot be a Hub namespace, so docker takes it as a host.
    row("Docker/docker", "Docker", "docker", none, none, "Docker/docker", "Docker/docker");

    // Separators: one '.', one or two '_', any number of '-'.
    row("test_com/foo", "docker.io", "test_com/foo", none, none, "docker.io/test_com/foo", "test_com/foo");
    row("dock__er/docker", "docker.io", "dock__er/docker", none, none, "docker.io/dock__er/docker",
        "dock__er/docker");
    row("docker---rules/docker", "docker.io", "docker---rules/docker", none, none,
        "docker.io/docker---rules/docker", "docker---rules/docker");
    row("ns/a.b_c__d-e---f", "docker.io", "ns/a.b_c__d-e---f", none, none, "docker.io/ns/a.b_c__d-e---f",
        "ns/a.b_c__d-e---f");
    row("foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", none, "docker.io/foo/foo_bar.com:8080",
        "foo/foo_bar.com:8080");

    // Tags: case-sensitive, '_' may lead, up to 128 characters.
    row("lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", none,
        "docker.io/library/lowercase:Uppercase", "lowercase:Uppercase");
    row("ubuntu:_x", "docker.io", "library/ubuntu", "_x", none, "docker.io/library/ubuntu:_x", "ubuntu:_x");
    const QString longTag(128, u'a');
    QTest::newRow("128-character tag") << QStringLiteral("ubuntu:") + longTag << "docker.io"
                                       << "library/ubuntu" << longTag << none
                                       << QStringLiteral("docker.io/library/ubuntu:") + longTag
                                       << QStringLiteral("ubuntu:") + longTag;

    // Hex-looking names: only a bare 64-hex string is refused.
    const QString hex63 = kHex.left(63);
    QTest::newRow("63 hex") << hex63 << "docker.io" << QStringLiteral("library/") + hex63 << none << none
                            << QStringLiteral("docker.io/library/") + hex63 << hex63;
    QTest::newRow("docker.io/64 hex") << QStringLiteral("docker.io/") + kHex << "docker.io"
                                      << QStringLiteral("library/") + kHex << none << none
                                      << QStringLiteral("docker.io/library/") + kHex << kHex;
    row("thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "docker.io",
        "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", none, none,
        "docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
        "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev");

    // Digests, alone and with a tag (both are kept).
    QTest::newRow("name@digest") << QStringLiteral("ubuntu@") + d << "docker.io" << "library/ubuntu" << none << d
                                 << QStringLiteral("docker.io/library/ubuntu@") + d
                                 << QStringLiteral("ubuntu@") + d;
    QTest::newRow("name:tag@digest") << QStringLiteral("busybox:latest@") + d << "docker.io" << "library/busybox"
                                     << "latest" << d << QStringLiteral("docker.io/library/busybox:latest@") + d
                                     << QStringLiteral("busybox:latest@") + d;
    QTest::newRow("registry:port/name:tag@digest")
        << QStringLiteral("127.0.0.1:5000/x:tag@") + d << "127.0.0.1:5000" << "x" << "tag" << d
        << QStringLiteral("127.0.0.1:5000/x:tag@") + d << QStringLiteral("127.0.0.1:5000/x:tag@") + d;
    QTest::newRow("[ipv6]:port/name@digest")
        << QStringLiteral("[2001:db8::1]:5000/repo@") + d << "[2001:db8::1]:5000" << "repo" << none << d
        << QStringLiteral("[2001:db8::1]:5000/repo@") + d << QStringLiteral("[2001:db8::1]:5000/repo@") + d;
}

void TestReference::parseValid()
{
    QFETCH(QString, input);
    QFETCH(QString, domain);
    QFETCH(QString, path);
    QFETCH(QString, tag);
    QFETCH(QString, digest);
    QFETCH(QString, normalized);
    QFETCH(QString, familiar);

    const auto ref = Reference::parse(input);
    QVERIFY2(ref.ok(), qPrintable(ref.ok() ? QString() : ref.error().message));
    QVERIFY(ref->isValid());
    QCOMPARE(ref->domain(), domain);
    QCOMPARE(ref->path(), path);
    QCOMPARE(ref->name(), domain + u'/' + path);
    QCOMPARE(ref->tag(), tag);
    QCOMPARE(ref->hasTag(), !tag.isEmpty());
    QCOMPARE(ref->digest().toString(), digest);
    QCOMPARE(ref->hasDigest(), !digest.isEmpty());
    QCOMPARE(ref->toString(), normalized);
    QCOMPARE(ref->familiarString(), familiar);

    // Both printed forms must parse back to the same reference.
    const auto again = Reference::parse(ref->toString());
    QVERIFY(again.ok());
    QCOMPARE(*again, *ref);
    // docker.io/<64 hex> has a familiar form that is refused as an image ID, as in docker.
    if (ref->familiarString() != kHex) {
        const auto fromFamiliar = Reference::parse(ref->familiarString());
        QVERIFY(fromFamiliar.ok());
        QCOMPARE(*fromFamiliar, *ref);
    }
    QCOMPARE(ref->familiarName(), ref->withoutTagOrDigest().familiarString());
}

void TestReference::parseInvalid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // a part of the message

    auto row = [](const QString &name, const QString &input, const char *expected) {
        QTest::newRow(qPrintable(name)) << input << QString::fromUtf8(expected);
    };
    auto same = [&](const char *input, const char *expected) { row(QString::fromUtf8(input), QString::fromUtf8(input), expected); };

    same("", "repository name must have at least one component");
    same("Ubuntu", "repository name (library/Ubuntu) must be lowercase");
    same("Uppercase:tag", "repository name (library/Uppercase) must be lowercase");
    same("docker/Docker", "repository name (docker/Docker) must be lowercase");
    same("docker.io/docker/Docker", "repository name (docker/Docker) must be lowercase");
    same("test:5000/Uppercase/lowercase:tag", "repository name (Uppercase/lowercase) must be lowercase");
    same("Foo_Bar/x", "must be lowercase");
    row("64 hex", kHex, "cannot specify 64-byte hexadecimal strings");

    // Leading, trailing and doubled separators.
    same("-docker", "path component \"-docker\"");
    same("-docker/docker", "path component \"-docker\"");
    same("docker-/docker", "path component \"docker-\"");
    same("-docker-/docker", "path component \"-docker-\"");
    same("____/____", "path component \"____\"");
    same("_docker/_docker", "path component \"_docker\"");
    same("dock___er/docker", "path component \"dock___er\"");
    same("ns/dock..er", "path component \"dock..er\"");
    same("ns/dock_.er", "path component \"dock_.er\"");
    same("ns/dock-.er", "path component \"dock-.er\"");
    // With a '.' the first component is taken as a registry, and "dock..er" is no host name.
    same("dock..er/docker", "registry \"dock..er\"");
    same("ns/app.", "path component \"app.\"");
    same("aa/asdf$$^/aa", "path component \"asdf$$^\"");
    same(" ubuntu", "path component \" ubuntu\"");
    same("ubuntu ", "path component \"ubuntu \"");
    same("docker/", "empty path component");
    same("/ubuntu", "empty path component");
    same("docker///docker", "empty path component");
    same("docker.io/docker///docker", "empty path component");
    same("localhost/", "empty path component");
    same(":justtag", "empty path component");
    row("@digest only", QStringLiteral("@") + kDigest, "empty path component");
    same("https://github.com/docker/docker", "empty path component");

    // Registries that are not host[:port].
    same("[fc00::1]", "path component \"[fc00\"");
    same("fc00::1:5000/debian", "registry \"fc00::1:5000\"");
    same("[fe80::1%eth0]:5000/debian", "registry \"[fe80::1%eth0]:5000\"");
    same("[2001:db8:3:4::192.0.2.33]:5000/debian", "registry \"[2001:db8:3:4::192.0.2.33]:5000\"");
    same("[]:5000/debian", "registry \"[]:5000\"");
    same("[::1]:/debian", "registry \"[::1]:\"");
    same("example.com:/x", "registry \"example.com:\"");
    same("example.com:5x/x", "registry \"example.com:5x\"");
    same("-docker.io/docker/docker", "registry \"-docker.io\"");
    same("example-.com/x", "registry \"example-.com\"");
    same("example..com/x", "registry \"example..com\"");
    same("foo_bar.com/x", "registry \"foo_bar.com\"");

    // Tags.
    same("ubuntu:", "tag \"\"");
    same("ubuntu:-x", "tag \"-x\"");
    same("ubuntu:.x", "tag \".x\"");
    same("ubuntu:a:b", "tag \"a:b\"");
    same("ubuntu:a/b", "registry \"ubuntu:a\""); // a ':' before the first '/' makes that part a host
    row("129-character tag", QStringLiteral("ubuntu:") + QString(129, u'a'), "must be 1 to 128");
    same("ubuntu:t\u00e4g", "tag \"t\u00e4g\"");

    // Digests: strict sha256 only.
    same("ubuntu@", "invalid digest \"\"");
    same("repo@sha256:ffffffffffffffffffffffffffffffffff", "expected 64 hex digits");
    row("upper-case hex", QStringLiteral("ubuntu@sha256:") + kHex.toUpper(), "lower-case hex digit");
    row("sha512", QStringLiteral("ubuntu@sha512:") + QString(128, u'f'), "unsupported algorithm \"sha512\"");
    row("two digests", QStringLiteral("ubuntu@") + kDigest + u'@' + kDigest, "invalid digest");
    // docker checks case up to the first ':', which here includes the algorithm.
    row("upper-case algorithm", QStringLiteral("ubuntu@SHA256:") + kHex,
        "repository name (library/ubuntu@SHA256) must be lowercase");
}

void TestReference::parseInvalid()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const auto ref = Reference::parse(input);
    QVERIFY2(!ref.ok(), qPrintable(QStringLiteral("accepted as ") + (ref.ok() ? ref->toString() : QString())));
    QCOMPARE(ref.error().code, ErrorCode::InvalidArgument);
    const QString message = ref.error().message;
    QVERIFY2(message.startsWith(QLatin1String("invalid reference format: ")), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
}

void TestReference::dockerMessages()
{
    // These two are matched word for word by scripts written against docker.
    const auto upper = Reference::parse(u"Ubuntu");
    QVERIFY(!upper.ok());
    QCOMPARE(upper.error().message,
             QStringLiteral("invalid reference format: repository name (library/Ubuntu) must be lowercase"));
    const auto hex = Reference::parse(kHex);
    QVERIFY(!hex.ok());
    QCOMPARE(hex.error().message,
             QStringLiteral("invalid reference format: invalid repository name (%1), cannot specify 64-byte "
                            "hexadecimal strings")
                 .arg(kHex));
    // The message names the input the user typed.
    const auto badTag = Reference::parse(u"ubuntu:-x");
    QVERIFY(!badTag.ok());
    QVERIFY(badTag.error().message.contains(QLatin1String("\"ubuntu:-x\"")));
}

void TestReference::nameLengthLimit()
{
    // The limit applies to the whole normalized name, domain included.
    const QString path244 = QStringLiteral("ns/") + QString(241, u'a'); // 244 characters
    QCOMPARE(path244.size(), 244);
    const auto atLimit = Reference::parse(path244 + QStringLiteral("a:tag"));
    QVERIFY2(atLimit.ok(), qPrintable(atLimit.ok() ? QString() : atLimit.error().message));
    QCOMPARE(atLimit->name().size(), 255);

    const auto over = Reference::parse(path244 + QStringLiteral("aa"));
    QVERIFY(!over.ok());
    QVERIFY2(over.error().message.contains(QLatin1String("must not be more than 255 characters")),
             qPrintable(over.error().message));

    // distribution's vector: 128 "a/" components plus "a" is too long.
    QString deep;
    for (int i = 0; i < 128; ++i)
        deep += QStringLiteral("a/");
    QVERIFY(!Reference::parse(deep + QStringLiteral("a:tag")).ok());
    // A short name on a long registry host is measured together with the host.
    const QString host = QString(250, u'h') + QStringLiteral(".io");
    QVERIFY(!Reference::parse(host + QStringLiteral("/app")).ok());
}

void TestReference::isValidTag_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<bool>("valid");
    QTest::newRow("latest") << "latest" << true;
    QTest::newRow("upper") << "V1.0-RC_2" << true;
    QTest::newRow("underscore first") << "_x" << true;
    QTest::newRow("single") << "a" << true;
    QTest::newRow("128") << QString(128, u'x') << true;
    QTest::newRow("129") << QString(129, u'x') << false;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("dash first") << "-x" << false;
    QTest::newRow("dot first") << ".x" << false;
    QTest::newRow("colon") << "a:b" << false;
    QTest::newRow("slash") << "a/b" << false;
    QTest::newRow("at") << "a@b" << false;
    QTest::newRow("plus") << "a+b" << false;
    QTest::newRow("space") << "a b" << false;
    QTest::newRow("non-ascii letter") << QStringLiteral("\u00e9") << false;
}

void TestReference::isValidTag()
{
    QFETCH(QString, tag);
    QFETCH(bool, valid);
    QCOMPARE(Reference::isValidTag(tag), valid);
}

void TestReference::defaultTagAndDockerRef()
{
    const Reference bare = *Reference::parse(u"ubuntu");
    QCOMPARE(bare.withDefaultTag().toString(), QStringLiteral("docker.io/library/ubuntu:latest"));
    QCOMPARE(bare.dockerRef().toString(), QStringLiteral("docker.io/library/ubuntu:latest"));

    const Reference tagged = *Reference::parse(u"ubuntu:22.04");
    QCOMPARE(tagged.withDefaultTag(), tagged);
    QCOMPARE(tagged.dockerRef(), tagged);

    // TagNameOnly leaves a digested reference alone: no ":latest" next to a digest.
    const Reference digested = *Reference::parse(QStringLiteral("ubuntu@") + kDigest);
    QCOMPARE(digested.withDefaultTag(), digested);
    QCOMPARE(digested.dockerRef(), digested);

    // ParseDockerRef pulls by digest and drops the tag.
    const Reference both = *Reference::parse(QStringLiteral("busybox:latest@") + kDigest);
    QCOMPARE(both.withDefaultTag(), both);
    QCOMPARE(both.dockerRef().toString(), QStringLiteral("docker.io/library/busybox@") + kDigest);
}

void TestReference::withTagKeepsDigest()
{
    const Reference digested = *Reference::parse(QStringLiteral("test.com:8000/foo@") + kDigest);
    const Reference r = digested.withTag(QStringLiteral("TAG5"));
    QCOMPARE(r.toString(), QStringLiteral("test.com:8000/foo:TAG5@") + kDigest);
    QCOMPARE(r.digest(), digested.digest());

    const Reference retagged = Reference::parse(u"user/app:v1")->withTag(QStringLiteral("v2"));
    QCOMPARE(retagged.toString(), QStringLiteral("docker.io/user/app:v2"));
    QCOMPARE(retagged.familiarString(), QStringLiteral("user/app:v2"));
}

void TestReference::withoutTagOrDigest()
{
    const Reference both = *Reference::parse(QStringLiteral("localhost:5000/a/b:t@") + kDigest);
    const Reference plain = both.withoutTagOrDigest();
    QCOMPARE(plain.toString(), QStringLiteral("localhost:5000/a/b"));
    QVERIFY(!plain.hasTag());
    QVERIFY(!plain.hasDigest());
    QCOMPARE(plain.familiarName(), QStringLiteral("localhost:5000/a/b"));
    QCOMPARE(plain, *Reference::parse(u"localhost:5000/a/b"));
}

void TestReference::equalityAndHash()
{
    const Reference a = *Reference::parse(u"ubuntu");
    const Reference b = *Reference::parse(u"docker.io/library/ubuntu");
    const Reference c = *Reference::parse(u"index.docker.io/ubuntu");
    const Reference tagged = *Reference::parse(u"ubuntu:latest");
    const Reference other = *Reference::parse(u"user/ubuntu");
    QCOMPARE(a, b);
    QCOMPARE(a, c);
    QVERIFY(a != tagged);
    QVERIFY(a != other);
    QCOMPARE(qHash(a), qHash(b));
    QCOMPARE(a.withDefaultTag(), tagged);

    QSet<Reference> set{a, b, c, tagged, other};
    QCOMPARE(set.size(), 3);
    QVERIFY(set.contains(*Reference::parse(u"docker.io/ubuntu:latest")));
}

void TestReference::emptyReference()
{
    const Reference r;
    QVERIFY(!r.isValid());
    QVERIFY(r.toString().isEmpty());
    QVERIFY(r.familiarString().isEmpty());
    QVERIFY(!r.hasTag());
    QVERIFY(!r.hasDigest());
    QVERIFY(r != *Reference::parse(u"ubuntu"));
}

QTEST_GUILESS_MAIN(TestReference)
#include "tst_reference.moc"
