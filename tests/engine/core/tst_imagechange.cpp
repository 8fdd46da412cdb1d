// docker --change instructions applied to an image config: a table of
// instructions with the config keys they must set (every other key must stay
// as it was) or the error they must give (and the config must stay intact).
#include "core/imagechange.h"
#include "core/imageconfig.h"
#include "core/jsonobject.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace porthole;
using namespace Qt::StringLiterals;

class TestImageChange : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void apply_data();
    void apply();
    void errors_data();
    void errors();
    void keywordsCheckedBeforeAnything();
    void singleChangeResetsCmd();
    void documentKeepsUnknownFields();
};

namespace {

const char *kBase = R"({
  "architecture": "amd64", "os": "linux", "docker_version": "24.0.7",
  "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) x"]},
  "config": {
    "Env": ["PATH=/usr/bin", "HOME=/root"],
    "Cmd": ["sh"],
    "WorkingDir": "/app",
    "Labels": {"a": "1"},
    "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1000000000}
  },
  "rootfs": {"type": "layers", "diff_ids": []}
})";

ImageConfig baseConfig(const QByteArray &extra)
{
    QJsonObject doc = QJsonDocument::fromJson(kBase).object();
    QJsonObject config = doc.value(u"config").toObject();
    const QJsonObject more = QJsonDocument::fromJson(extra).object();
    for (auto it = more.begin(); it != more.end(); ++it)
        config.insert(it.key(), it.value());
    doc.insert(u"config"_s, config);
    return *ImageConfig::fromJson(doc);
}

const QString kAbsent = u"<absent>"_s;

} // namespace

void TestImageChange::apply_data()
{
    QTest::addColumn<QByteArray>("base");     // keys merged over kBase's config
    QTest::addColumn<QStringList>("changes");
    QTest::addColumn<QByteArray>("expect");   // config keys that must change; "<absent>" = removed

    auto row = [](const char *name, const QStringList &changes, const char *expect, const char *base = "{}") {
        QTest::newRow(name) << QByteArray(base) << changes << QByteArray(expect);
    };

    // CMD / ENTRYPOINT
    row("cmd json", {uR"(CMD ["nginx", "-g", "daemon off;"])"_s}, R"({"Cmd": ["nginx", "-g", "daemon off;"]})");
    row("cmd shell", {u"CMD echo \"hi there\" $HOME"_s}, R"({"Cmd": ["/bin/sh", "-c", "echo \"hi there\" $HOME"]})");
    row("cmd lower-case", {uR"(cmd ["a"])"_s}, R"({"Cmd": ["a"]})");
    row("cmd uses SHELL", {u"CMD echo hi"_s}, R"({"Cmd": ["/bin/bash", "-o", "pipefail", "-c", "echo hi"]})",
        R"({"Shell": ["/bin/bash", "-o", "pipefail", "-c"]})");
    row("cmd broken json is shell", {u"CMD [not json"_s}, R"({"Cmd": ["/bin/sh", "-c", "[not json"]})");
    row("cmd json with number is shell", {uR"(CMD ["a", 1])"_s}, R"({"Cmd": ["/bin/sh", "-c", "[\"a\", 1]"]})");
    row("cmd empty array", {u"CMD []"_s}, R"({"Cmd": []})");
    row("cmd drops ArgsEscaped", {uR"(CMD ["x"])"_s}, R"({"Cmd": ["x"], "ArgsEscaped": "<absent>"})",
        R"({"ArgsEscaped": true})");
    row("entrypoint resets cmd", {uR"(ENTRYPOINT ["/app/run"])"_s}, R"({"Entrypoint": ["/app/run"], "Cmd": null})");
    row("entrypoint shell", {u"entrypoint exec app --flag"_s},
        R"({"Entrypoint": ["/bin/sh", "-c", "exec app --flag"], "Cmd": null})");
    row("cmd then entrypoint", {uR"(CMD ["-v"])"_s, uR"(ENTRYPOINT ["app"])"_s},
        R"({"Cmd": ["-v"], "Entrypoint": ["app"]})");
    row("entrypoint then cmd", {uR"(ENTRYPOINT ["app"])"_s, uR"(CMD ["-v"])"_s},
        R"({"Cmd": ["-v"], "Entrypoint": ["app"]})");
    row("empty cmd does not count", {u"CMD []"_s, uR"(ENTRYPOINT ["app"])"_s}, R"({"Cmd": null, "Entrypoint": ["app"]})");

    // ENV
    row("env pairs", {u"ENV A=1 B=\"two words\""_s},
        R"({"Env": ["PATH=/usr/bin", "HOME=/root", "A=1", "B=two words"]})");
    row("env replaces", {u"ENV HOME=/home/u"_s}, R"({"Env": ["PATH=/usr/bin", "HOME=/home/u"]})");
    row("env legacy", {u"ENV GREETING hello   \"big\" world"_s},
        R"({"Env": ["PATH=/usr/bin", "HOME=/root", "GREETING=hello   big world"]})");
    row("env expands", {u"ENV PATH=/opt/bin:$PATH"_s}, R"({"Env": ["PATH=/opt/bin:/usr/bin", "HOME=/root"]})");
    row("env sees values before it", {u"ENV HOME=/x OLD=$HOME"_s}, R"({"Env": ["PATH=/usr/bin", "HOME=/x", "OLD=/root"]})");
    row("env quoting", {uR"(ENV A='$HOME' B=\$HOME C="${HOME}/x" D=${NOPE:-dflt} E=${HOME:+set} F=a\ b G="q\"q")"_s},
        R"({"Env": ["PATH=/usr/bin", "HOME=/root", "A=$HOME", "B=$HOME", "C=/root/x", "D=dflt", "E=set", "F=a b", "G=q\"q"]})");
    row("env empty value", {u"ENV EMPTY= X=\"\""_s}, R"({"Env": ["PATH=/usr/bin", "HOME=/root", "EMPTY=", "X="]})");
    row("env into null", {u"ENV A=1"_s}, R"({"Env": ["A=1"]})", R"({"Env": null})");

    // LABEL
    row("label", {uR"(LABEL version="1.0" "com.example.vendor"="ACME Inc" a=2)"_s},
        R"({"Labels": {"a": "2", "version": "1.0", "com.example.vendor": "ACME Inc"}})");
    row("label into null", {u"LABEL x=y"_s}, R"({"Labels": {"x": "y"}})", R"({"Labels": null})");
    row("label multi-line value", {u"LABEL description=\"one \\\n two\""_s}, R"({"Labels": {"a": "1", "description": "one  two"}})");

    // EXPOSE
    row("expose", {u"EXPOSE 80 53/udp 8000-8002 443/TCP 9/sctp"_s},
        R"({"ExposedPorts": {"80/tcp": {}, "53/udp": {}, "8000/tcp": {}, "8001/tcp": {}, "8002/tcp": {},
            "443/tcp": {}, "9/sctp": {}}})");
    row("expose merges", {u"EXPOSE 80"_s}, R"({"ExposedPorts": {"22/tcp": {}, "80/tcp": {}}})",
        R"({"ExposedPorts": {"22/tcp": {}}})");
    row("expose from env", {u"ENV PORTS=\"80 443\""_s, u"EXPOSE $PORTS"_s},
        R"({"Env": ["PATH=/usr/bin", "HOME=/root", "PORTS=80 443"], "ExposedPorts": {"80/tcp": {}, "443/tcp": {}}})");
    row("expose host part ignored", {u"EXPOSE 8080:80/udp"_s}, R"({"ExposedPorts": {"80/udp": {}}})");

    // VOLUME
    row("volume json", {uR"(VOLUME ["/data", "/var/log"])"_s}, R"({"Volumes": {"/data": {}, "/var/log": {}}})");
    row("volume words", {u"VOLUME /a   /b"_s}, R"({"Volumes": {"/a": {}, "/b": {}}})");
    row("volume expands", {u"VOLUME $HOME/cache"_s}, R"({"Volumes": {"/root/cache": {}}})");

    // USER, WORKDIR, STOPSIGNAL, ONBUILD
    row("user", {u"USER 1000:1000"_s}, R"({"User": "1000:1000"})");
    row("user default", {u"USER ${U:-nobody}"_s}, R"({"User": "nobody"})");
    row("workdir absolute cleaned", {u"WORKDIR /srv/../opt/./x/"_s}, R"({"WorkingDir": "/opt/x"})");
    row("workdir relative", {u"WORKDIR sub/dir"_s}, R"({"WorkingDir": "/app/sub/dir"})");
    row("workdir relative twice", {u"WORKDIR a"_s, u"workdir ../b"_s}, R"({"WorkingDir": "/app/b"})");
    row("workdir relative from none", {u"WORKDIR rel"_s}, R"({"WorkingDir": "/rel"})", R"({"WorkingDir": ""})");
    row("workdir from env", {u"WORKDIR $HOME/src"_s}, R"({"WorkingDir": "/root/src"})");
    row("stopsignal name", {u"STOPSIGNAL SIGQUIT"_s}, R"({"StopSignal": "SIGQUIT"})");
    row("stopsignal number", {u"stopsignal 9"_s}, R"({"StopSignal": "9"})");
    row("stopsignal realtime", {u"STOPSIGNAL RTMIN+3"_s}, R"({"StopSignal": "RTMIN+3"})");
    row("onbuild", {u"ONBUILD RUN make  /app"_s}, R"({"OnBuild": ["RUN make  /app"]})");
    row("onbuild appends", {u"onbuild copy . /src"_s}, R"({"OnBuild": ["ADD . /app", "copy . /src"]})",
        R"({"OnBuild": ["ADD . /app"]})");

    // Several instructions in one change string, as docker joins them.
    row("two lines in one change", {u"ENV A=1\n# comment\n\nLABEL b=2"_s},
        R"({"Env": ["PATH=/usr/bin", "HOME=/root", "A=1"], "Labels": {"a": "1", "b": "2"}})");
    row("continuation", {u"ENV A=1 \\\n    B=2"_s}, R"({"Env": ["PATH=/usr/bin", "HOME=/root", "A=1", "B=2"]})");
    row("leading blanks and --", {u"   user -- bob"_s}, R"({"User": "bob"})");
}

void TestImageChange::apply()
{
    QFETCH(QByteArray, base);
    QFETCH(QStringList, changes);
    QFETCH(QByteArray, expect);

    const ImageConfig before = baseConfig(base);
    ImageConfig config = before;
    const Status st = applyChanges(config, changes);
    QVERIFY2(st, qPrintable(st.ok() ? QString() : st.error().message));

    QJsonParseError perr;
    const QJsonObject expected = QJsonDocument::fromJson(expect, &perr).object();
    QVERIFY2(perr.error == QJsonParseError::NoError, qPrintable(perr.errorString()));
    const QJsonObject old = before.containerConfig();
    const QJsonObject now = config.containerConfig();
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (it.value() == QJsonValue(kAbsent))
            QVERIFY2(!now.contains(it.key()), qPrintable(it.key()));
        else
            QCOMPARE(json::valueText(now.value(it.key())), json::valueText(it.value()));
    }
    // Nothing else moved, in the config or around it.
    QStringList keys = old.keys() + now.keys();
    for (const QString &key : keys) {
        if (!expected.contains(key))
            QCOMPARE(json::valueText(now.value(key)), json::valueText(old.value(key)));
    }
    QJsonObject restOld = before.toJsonObject(), restNow = config.toJsonObject();
    restOld.remove(u"config"_s);
    restNow.remove(u"config"_s);
    QCOMPARE(json::compact(restNow), json::compact(restOld));
}

void TestImageChange::errors_data()
{
    QTest::addColumn<QStringList>("changes");
    QTest::addColumn<QString>("error");

    auto row = [](const char *name, const QStringList &changes, const QString &error) {
        QTest::newRow(name) << changes << error;
    };
    row("run", {u"RUN echo hi"_s}, u"RUN is not a valid change command"_s);
    row("from", {u"FROM alpine"_s}, u"FROM is not a valid change command"_s);
    row("copy", {u"COPY a /b"_s}, u"COPY is not a valid change command"_s);
    row("add", {u"add a /b"_s}, u"add is not a valid change command"_s);
    row("maintainer", {u"MAINTAINER me"_s}, u"MAINTAINER is not a valid change command"_s);
    row("healthcheck", {u"HEALTHCHECK NONE"_s}, u"HEALTHCHECK is not a valid change command"_s);
    row("unknown word", {u"FROBNICATE x"_s}, u"FROBNICATE is not a valid change command"_s);
    row("empty", {u""_s}, u"empty instruction is not a valid change command"_s);
    row("blank", {u"   \n  "_s}, u"empty instruction is not a valid change command"_s);
    row("comment only", {u"# ENV A=1"_s}, u"empty instruction is not a valid change command"_s);
    row("bad second line", {u"ENV A=1\nRUN x"_s}, u"RUN is not a valid change command"_s);
    row("later bad change", {u"ENV A=1"_s, u"RUN x"_s}, u"RUN is not a valid change command"_s);
    row("env no args", {u"ENV"_s}, u"ENV requires at least one argument"_s);
    row("env legacy no value", {u"ENV A"_s}, u"ENV must have two arguments"_s);
    row("env missing =", {u"ENV A=1 B"_s}, u"can't find = in \"B\""_s);
    row("env blank name", {u"ENV =x"_s}, u"ENV names can not be blank"_s);
    row("env open quote", {u"ENV A=\"open"_s}, u"matching double-quote"_s);
    row("env open single quote", {u"ENV A='open"_s}, u"matching single-quote"_s);
    row("env required var", {u"ENV A=\"${NOPE:?must be set}\""_s}, u"NOPE: must be set"_s);
    row("env bad substitution", {u"ENV A=${HOME/x}"_s}, u"bad substitution"_s);
    row("label no args", {u"LABEL"_s}, u"LABEL requires at least one argument"_s);
    row("expose no args", {u"EXPOSE"_s}, u"EXPOSE requires at least one argument"_s);
    row("expose bad proto", {u"EXPOSE 80/foo"_s}, u"invalid protocol \"foo\""_s);
    row("expose too big", {u"EXPOSE 70000"_s}, u"invalid port \"70000\""_s);
    row("expose reversed range", {u"EXPOSE 9000-8000"_s}, u"invalid port \"9000-8000\""_s);
    row("expose word", {u"EXPOSE http"_s}, u"invalid port \"http\""_s);
    row("volume no args", {u"VOLUME"_s}, u"VOLUME requires at least one argument"_s);
    row("volume empty json", {uR"(VOLUME [""])"_s}, u"VOLUME specified can not be an empty string"_s);
    row("stopsignal unknown", {u"STOPSIGNAL SIGFOO"_s}, u"invalid signal \"SIGFOO\""_s);
    row("stopsignal zero", {u"STOPSIGNAL 0"_s}, u"invalid signal \"0\""_s);
    row("user no args", {u"USER"_s}, u"USER requires exactly one argument"_s);
    row("user expands to nothing", {u"USER $NOPE"_s}, u"USER requires exactly one argument"_s);
    row("workdir no args", {u"WORKDIR"_s}, u"WORKDIR requires exactly one argument"_s);
    row("cmd no args", {u"CMD"_s}, u"CMD requires at least one argument"_s);
    row("entrypoint no args", {u"ENTRYPOINT  "_s}, u"ENTRYPOINT requires at least one argument"_s);
    row("onbuild no args", {u"ONBUILD"_s}, u"ONBUILD requires at least one argument"_s);
    row("onbuild chained", {u"ONBUILD ONBUILD RUN x"_s}, u"ONBUILD ONBUILD"_s);
    row("onbuild from", {u"ONBUILD FROM x"_s}, u"FROM isn't allowed as an ONBUILD trigger"_s);
    row("onbuild unknown", {u"ONBUILD FOO x"_s}, u"unknown instruction \"FOO\""_s);
    row("flag", {u"CMD --foo bar"_s}, u"unknown flag --foo for CMD"_s);
}

void TestImageChange::errors()
{
    QFETCH(QStringList, changes);
    QFETCH(QString, error);

    const ImageConfig before = baseConfig("{}");
    ImageConfig config = before;
    const Status st = applyChanges(config, changes);
    QVERIFY(!st);
    QCOMPARE(st.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(st.error().message.contains(error), qPrintable(st.error().message));
    QVERIFY2(st.error().message.startsWith(u"change \""_s), qPrintable(st.error().message));
    // All or nothing: an earlier good change is not half-applied.
    QCOMPARE(config.toJson(), before.toJson());
}

void TestImageChange::keywordsCheckedBeforeAnything()
{
    // docker validates every keyword first, so the bad keyword is what the
    // user hears about even when an earlier instruction would also fail.
    ImageConfig config = baseConfig("{}");
    const Status st = applyChanges(config, {u"EXPOSE nope"_s, u"RUN make"_s});
    QVERIFY(!st);
    QVERIFY2(st.error().message.contains(u"RUN is not a valid change command"_s), qPrintable(st.error().message));
}

void TestImageChange::singleChangeResetsCmd()
{
    ImageConfig config = baseConfig("{}");
    QVERIFY(applyChange(config, uR"(ENTRYPOINT ["/x"])"_s));
    QCOMPARE(config.entrypoint(), QStringList{u"/x"_s});
    QVERIFY(config.configValue(u"Cmd").isNull());
    QCOMPARE(config.cmd(), QStringList());
    // A later CMD in a separate call sets it again.
    QVERIFY(applyChange(config, u"CMD run"_s));
    QCOMPARE(config.cmd(), (QStringList{u"/bin/sh"_s, u"-c"_s, u"run"_s}));
    QCOMPARE(config.entrypoint(), QStringList{u"/x"_s});
}

void TestImageChange::documentKeepsUnknownFields()
{
    ImageConfig config = baseConfig(R"({"ArgsEscaped": true, "Domainname": "x"})");
    QVERIFY(applyChanges(config, {u"ENV A=1"_s, u"LABEL b=2"_s, u"USER u"_s}));
    const QJsonObject doc = config.toJsonObject();
    QCOMPARE(doc.value(u"docker_version").toString(), u"24.0.7"_s);
    QVERIFY(doc.value(u"container_config").toObject().contains(u"Cmd"_s));
    const QJsonObject c = config.containerConfig();
    QCOMPARE(c.value(u"Healthcheck").toObject().value(u"Interval").toInteger(), 1000000000);
    QCOMPARE(c.value(u"ArgsEscaped").toBool(), true);
    QCOMPARE(c.value(u"Domainname").toString(), u"x"_s);
    // The result is still a valid config document.
    auto again = ImageConfig::parse(config.toJson());
    QVERIFY(again);
    QCOMPARE(again->user(), u"u"_s);
}

QTEST_GUILESS_MAIN(TestImageChange)
#include "tst_imagechange.moc"
