// ArgParser against pflag's rules and error sentences, as docker users see them.
#include "cli/args.h"

#include <QTest>

using namespace porthole;
using namespace porthole::cli;

namespace {

ArgParser runLikeParser(bool interspersed)
{
    ArgParser p;
    p.addFlag({"all", 'a', FlagSpec::Bool, {}, {}, "Show all"})
        .addFlag({"detach", 'd', FlagSpec::Bool, {}, {}, "Detach"})
        .addFlag({"interactive", 'i', FlagSpec::Bool, {}, {}, "Keep STDIN open"})
        .addFlag({"tty", 't', FlagSpec::Bool, {}, {}, "Allocate a pseudo-TTY"})
        .addFlag({"human", 'H', FlagSpec::Bool, "true", {}, "Human sizes"})
        .addFlag({"name", 'n', FlagSpec::String, {}, {}, "Name"})
        .addFlag({"env", 'e', FlagSpec::StringList, {}, {}, "Set environment variables"})
        .addFlag({"count", 'c', FlagSpec::Int, {}, {}, "Count"})
        .addFlag({"tail", {}, FlagSpec::Int, {}, {}, "Lines"})
        .addFlag({"format", {}, FlagSpec::String, {}, {}, "Format"});
    p.setInterspersed(interspersed);
    return p;
}

// A canonical one-line picture of a parse: the flags that were given (with
// all their values), then the positional arguments.
QString dump(const ParsedArgs &a)
{
    QStringList parts;
    for (const char *name : {"all", "detach", "interactive", "tty", "human", "name", "env", "count", "tail", "format"}) {
        if (a.isSet(name))
            parts << QStringLiteral("%1=%2").arg(name, a.values(name).join(','));
    }
    if (!a.positional.isEmpty())
        parts << QStringLiteral("pos=") + a.positional.join('|');
    if (a.argsLenAtDash >= 0)
        parts << QStringLiteral("dash=%1").arg(a.argsLenAtDash);
    if (a.helpRequested)
        parts << QStringLiteral("help");
    return parts.join(' ');
}

} // namespace

class TestArgs : public QObject {
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("interspersed");
        QTest::addColumn<QString>("expected"); // dump() on success
        QTest::addColumn<QString>("error");    // exact message on failure

        const auto ok = [](const char *tag, QStringList args, QString expected, bool inter = true) {
            QTest::newRow(tag) << args << inter << expected << QString();
        };
        const auto bad = [](const char *tag, QStringList args, QString error) {
            QTest::newRow(tag) << args << true << QString() << error;
        };

        ok("empty", {}, "");
        ok("short bool", {"-a"}, "all=true");
        ok("long bool", {"--all"}, "all=true");
        ok("long bool =false", {"--all=false"}, "all=false");
        ok("long bool =0/=T", {"--all=0", "--tty=T"}, "all=false tty=true");
        ok("short bool =false", {"-a=false"}, "all=false");
        ok("bool never eats next", {"-a", "false"}, "all=true pos=false");
        ok("long bool never eats next", {"--all", "true"}, "all=true pos=true");
        ok("compacted", {"-it"}, "interactive=true tty=true");
        ok("compacted last =false", {"-it=false"}, "interactive=true tty=false");
        ok("compacted three", {"-dit", "alpine"}, "detach=true interactive=true tty=true pos=alpine");
        ok("long value", {"--name", "web"}, "name=web");
        ok("long =value", {"--name=web"}, "name=web");
        ok("long =value with =", {"--name=a=b"}, "name=a=b");
        ok("long empty value", {"--name="}, "name=");
        ok("short value", {"-n", "web"}, "name=web");
        ok("short glued", {"-nweb"}, "name=web");
        ok("short =value", {"-n=web"}, "name=web");
        ok("short = alone is the value", {"-n="}, "name==");
        ok("bool then value", {"-an", "web"}, "all=true name=web");
        ok("bool then glued value", {"-anweb"}, "all=true name=web");
        ok("value looks like flag", {"--name", "--all"}, "name=--all");
        ok("short value looks like flag", {"-n", "-a"}, "name=-a");
        ok("last string wins", {"--name", "a", "-nb"}, "name=a,b");
        ok("repeatable", {"-e", "A=1", "--env", "B=2", "-eC=3", "--env=D"}, "env=A=1,B=2,C=3,D");
        ok("int hex", {"--count", "0x10"}, "count=16");
        ok("int negative", {"-c", "-5"}, "count=-5");
        ok("int underscore", {"--count=1_000"}, "count=1000");
        ok("int glued", {"-c07"}, "count=7");
        ok("interspersed", {"alpine", "-a", "sh"}, "all=true pos=alpine|sh");
        ok("not interspersed", {"-d", "alpine", "sh", "-c", "ls", "--all"},
           "detach=true pos=alpine|sh|-c|ls|--all", false);
        ok("not interspersed dash after image", {"-t", "img", "--", "x"}, "tty=true pos=img|--|x", false);
        ok("not interspersed flags first", {"--name", "x", "-it", "img"},
           "interactive=true tty=true name=x pos=img", false);
        ok("double dash", {"--", "-a"}, "pos=-a dash=0");
        ok("double dash later", {"x", "--", "-a", "--"}, "pos=x|-a|-- dash=1");
        ok("lone dash", {"-", "-a"}, "all=true pos=-");
        ok("empty string", {"", "-a"}, "all=true pos=");
        ok("help long", {"--help", "--bogus"}, "help");
        ok("help short", {"-a", "-h", "--bogus"}, "all=true help");
        ok("help in cluster", {"-ah"}, "all=true help");
        ok("human off", {"-H=false"}, "human=false");

        bad("unknown long", {"--bogus"}, "unknown flag: --bogus");
        bad("unknown long with value", {"--bogus=1"}, "unknown flag: --bogus");
        bad("unknown short", {"-z"}, "unknown shorthand flag: 'z' in -z");
        bad("unknown short in cluster", {"-az"}, "unknown shorthand flag: 'z' in -z");
        bad("unknown short leading", {"-za"}, "unknown shorthand flag: 'z' in -za");
        bad("short bool then =", {"-a="}, "unknown shorthand flag: '=' in -=");
        bad("missing long", {"--name"}, "flag needs an argument: --name");
        bad("missing short", {"-n"}, "flag needs an argument: 'n' in -n");
        bad("missing short in cluster", {"-an"}, "flag needs an argument: 'n' in -n");
        bad("bad bool long", {"--all=x"},
            R"(invalid argument "x" for "-a, --all" flag: strconv.ParseBool: parsing "x": invalid syntax)");
        bad("bad bool short", {"-H=x"},
            R"(invalid argument "x" for "-H, --human" flag: strconv.ParseBool: parsing "x": invalid syntax)");
        bad("empty bool", {"--all="},
            R"(invalid argument "" for "-a, --all" flag: strconv.ParseBool: parsing "": invalid syntax)");
        bad("quoted bool", {"--all=\"x\""},
            "invalid argument \"\\\"x\\\"\" for \"-a, --all\" flag: "
            "strconv.ParseBool: parsing \"\\\"x\\\"\": invalid syntax");
        bad("bad int", {"--count", "x"},
            R"(invalid argument "x" for "-c, --count" flag: strconv.ParseInt: parsing "x": invalid syntax)");
        bad("bad int no short", {"--tail=1__0"},
            R"(invalid argument "1__0" for "--tail" flag: strconv.ParseInt: parsing "1__0": invalid syntax)");
        bad("int out of range", {"--tail=9223372036854775808"},
            R"(invalid argument "9223372036854775808" for "--tail" flag: strconv.ParseInt: parsing "9223372036854775808": value out of range)");
        bad("triple dash", {"---all"}, "bad flag syntax: ---all");
        bad("dash dash equals", {"--=x"}, "bad flag syntax: --=x");
        bad("error after good flags", {"-a", "x", "--bogus"}, "unknown flag: --bogus");
    }

    void parse()
    {
        QFETCH(QStringList, args);
        QFETCH(bool, interspersed);
        QFETCH(QString, expected);
        QFETCH(QString, error);

        const Result<ParsedArgs> r = runLikeParser(interspersed).parse(args);
        if (error.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
            QCOMPARE(dump(*r), expected);
        } else {
            QVERIFY2(!r.ok(), qPrintable(r.ok() ? QStringLiteral("parsed as: ") + dump(*r) : QString()));
            QCOMPARE(r.error().message, error);
            QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        }
    }

    void accessors()
    {
        ArgParser p;
        p.addFlag({"human", 'H', FlagSpec::Bool, "true", {}, "Human"})
            .addFlag({"quiet", 'q', FlagSpec::Bool, {}, {}, "Quiet"})
            .addFlag({"tail", {}, FlagSpec::String, "all", {}, "Lines"})
            .addFlag({"time", 't', FlagSpec::Int, "10", {}, "Seconds"})
            .addFlag({"env", 'e', FlagSpec::StringList, {}, {}, "Env"})
            .addFlag({"label", 'l', FlagSpec::StringList, "a=b", {}, "Label"});

        Result<ParsedArgs> none = p.parse({});
        QVERIFY(none.ok());
        QVERIFY(!none->isSet("human"));
        QVERIFY(none->boolValue("human"));
        QVERIFY(!none->boolValue("quiet"));
        QCOMPARE(none->value("tail"), QString("all"));
        QCOMPARE(none->intValue("time"), 10);
        QCOMPARE(none->values("env"), QStringList());
        QCOMPARE(none->values("label"), QStringList{"a=b"});
        QCOMPARE(none->value("undeclared"), QString());
        QVERIFY(!none->boolValue("undeclared"));

        Result<ParsedArgs> some = p.parse({"-H=f", "-q", "--tail", "5", "-t0x1f", "-e", "A", "-eB", "-l", "x"});
        QVERIFY(some.ok());
        QVERIFY(some->isSet("human"));
        QVERIFY(!some->boolValue("human"));
        QCOMPARE(some->value("human"), QString("false")); // normalized, as pflag prints it
        QVERIFY(some->boolValue("quiet"));
        QCOMPARE(some->value("tail"), QString("5"));
        QCOMPARE(some->intValue("time"), 31);
        QCOMPARE(some->value("time"), QString("31"));
        QCOMPARE(some->values("env"), (QStringList{"A", "B"}));
        QCOMPARE(some->values("label"), QStringList{"x"}); // given values replace the default
    }

    void goInt_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QString>("error"); // empty: valid
        const QString syntax = QStringLiteral("invalid syntax");
        const QString range = QStringLiteral("value out of range");
        QTest::newRow("0") << "0" << qint64(0) << QString();
        QTest::newRow("-0") << "-0" << qint64(0) << QString();
        QTest::newRow("+7") << "+7" << qint64(7) << QString();
        QTest::newRow("hex") << "0x1F" << qint64(31) << QString();
        QTest::newRow("octal 0o") << "0o17" << qint64(15) << QString();
        QTest::newRow("octal 0") << "017" << qint64(15) << QString();
        QTest::newRow("binary") << "0B101" << qint64(5) << QString();
        QTest::newRow("underscores") << "1_000_000" << qint64(1000000) << QString();
        QTest::newRow("underscore after prefix") << "0x_1f" << qint64(31) << QString();
        QTest::newRow("max") << "9223372036854775807" << std::numeric_limits<qint64>::max() << QString();
        QTest::newRow("min") << "-9223372036854775808" << std::numeric_limits<qint64>::min() << QString();
        QTest::newRow("leading _") << "_1" << qint64(0) << syntax;
        QTest::newRow("trailing _") << "1_" << qint64(0) << syntax;
        QTest::newRow("double _") << "1__0" << qint64(0) << syntax;
        QTest::newRow("bad octal") << "08" << qint64(0) << syntax;
        QTest::newRow("bare prefix") << "0x" << qint64(0) << syntax;
        QTest::newRow("empty") << "" << qint64(0) << syntax;
        QTest::newRow("sign only") << "-" << qint64(0) << syntax;
        QTest::newRow("space") << " 1" << qint64(0) << syntax;
        QTest::newRow("too big") << "9223372036854775808" << qint64(0) << range;
        QTest::newRow("too small") << "-9223372036854775809" << qint64(0) << range;
        QTest::newRow("overflow before junk") << "99999999999999999999x" << qint64(0) << range;
    }

    void goInt()
    {
        QFETCH(QString, in);
        QFETCH(qint64, value);
        QFETCH(QString, error);
        const Result<qint64> r = parseGoInt(in);
        if (error.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
            QCOMPARE(*r, value);
        } else {
            QVERIFY(!r.ok());
            QCOMPARE(r.error().message,
                     QStringLiteral("strconv.ParseInt: parsing %1: %2").arg(goQuote(in), error));
        }
    }

    void goBool()
    {
        for (const char *t : {"1", "t", "T", "TRUE", "true", "True"})
            QVERIFY2(parseGoBool(t).ok() && *parseGoBool(t), t);
        for (const char *f : {"0", "f", "F", "FALSE", "false", "False"})
            QVERIFY2(parseGoBool(f).ok() && !*parseGoBool(f), f);
        for (const char *b : {"yes", "tRUE", "", " true", "2"})
            QVERIFY2(!parseGoBool(b).ok(), b);
    }

    void quote_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << "abc" << R"("abc")";
        QTest::newRow("quote and backslash") << "a\"b\\" << "\"a\\\"b\\\\\"";
        QTest::newRow("tab newline") << "\t\n" << R"("\t\n")";
        QTest::newRow("escape") << "\x1b[0m" << "\"\\x1b[0m\""; // moc mis-parses this one as a raw string
        QTest::newRow("hangul kept") << QString::fromUtf8("한글") << QString::fromUtf8("\"한글\"");
        QTest::newRow("nbsp escaped") << QString(QChar(0xA0)) << R"("\u00a0")";
    }

    void quote()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(goQuote(in), out);
    }

    void helpText()
    {
        ArgParser p;
        p.addFlag({"quiet", 'q', FlagSpec::Bool, {}, {}, "Only show image IDs"})
            .addFlag({"all", 'a', FlagSpec::Bool, {}, {}, "Show all images (default hides intermediate images)"})
            .addFlag({"no-trunc", {}, FlagSpec::Bool, {}, {}, "Don't truncate output"})
            .addFlag({"filter", 'f', FlagSpec::StringList, {}, "filter", "Filter output based on conditions provided"})
            .addFlag({"format", {}, FlagSpec::String, {}, {},
                      "Format output using a custom template:\n"
                      "'table':            Print output in table format with column headers (default)"})
            .addFlag({"tree", {}, FlagSpec::Bool, {}, {}, "List multi-platform images as a tree", true})
            .addFlag({"digests", {}, FlagSpec::Bool, {}, {}, "Show digests"});

        const QString expected =
            "\n"
            "Usage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n"
            "\n"
            "List images\n"
            "\n"
            "Options:\n"
            "  -a, --all             Show all images (default hides intermediate images)\n"
            "      --digests         Show digests\n"
            "  -f, --filter filter   Filter output based on conditions provided\n"
            "      --format string   Format output using a custom template:\n"
            "                        'table':            Print output in table format with column headers (default)\n"
            "      --no-trunc        Don't truncate output\n"
            "  -q, --quiet           Only show image IDs\n";
        QCOMPARE(p.helpText("docker images [OPTIONS] [REPOSITORY[:TAG]]", "  List images\n"), expected);
    }

    void helpDefaults()
    {
        ArgParser p;
        p.addFlag({"human", 'H', FlagSpec::Bool, "true", {}, "Print sizes and dates in human readable format"})
            .addFlag({"log-driver", {}, FlagSpec::String, "json-file", {}, "Logging driver"})
            .addFlag({"time", 't', FlagSpec::Int, "10", "int", "Seconds to wait"})
            .addFlag({"env", 'e', FlagSpec::StringList, {}, {}, "Set environment variables"});
        const QString expected =
            "\n"
            "Usage:  docker x\n"
            "\n"
            "X\n"
            "\n"
            "Options:\n"
            "  -e, --env list            Set environment variables\n"
            "  -H, --human               Print sizes and dates in human readable format (default true)\n"
            "      --log-driver string   Logging driver (default \"json-file\")\n"
            "  -t, --time int            Seconds to wait (default 10)\n";
        QCOMPARE(p.helpText("docker x", "X"), expected);

        ArgParser bare;
        QCOMPARE(bare.helpText("docker version", "Show the version"),
                 QString("\nUsage:  docker version\n\nShow the version\n"));
    }

    void helpWrapped()
    {
        ArgParser p;
        p.addFlag({"all", 'a', FlagSpec::Bool, {}, {}, "one two three four five six seven eight nine ten eleven twelve"});
        QCOMPARE(p.helpText("u", "d", 60),
                 QString("\nUsage:  u\n\nd\n\nOptions:\n"
                         "  -a, --all   one two three four five six seven eight\n"
                         "              nine ten eleven twelve\n"));
        // Too narrow to wrap: pflag gives up and indents continuation lines by 16.
        ArgParser q;
        q.addFlag({"all", 'a', FlagSpec::Bool, {}, {}, "x\ny"});
        QCOMPARE(q.helpText("u", "d", 30),
                 QString("\nUsage:  u\n\nd\n\nOptions:\n  -a, --all   x\n                y\n"));
    }
};

QTEST_GUILESS_MAIN(TestArgs)
#include "tst_args.moc"
